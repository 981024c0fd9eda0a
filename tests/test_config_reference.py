"""The README's configuration reference is checked against the config models: its example is a
valid config, it names every key the models accept and no other, and the ``[crawler]`` values
it says are the defaults are the defaults."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from pressroom.config import CrawlerConfig, SourceConfig, parse_config

README = Path(__file__).resolve().parents[1] / "README.md"


def _example() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration: `pressroom.toml`", 1)[1]
    match = re.search(r"```toml\n(.*?)```", section, re.S)
    assert match, "the README's configuration section has no ```toml example"
    return match.group(1)


def test_the_readme_example_is_a_valid_config(tmp_path: Path) -> None:
    config = parse_config(tomllib.loads(_example()), base_dir=tmp_path)
    assert [s.id for s in config.sources] == ["xining-hitech-en"]


def test_the_readme_names_every_key_of_the_models_and_no_other() -> None:
    raw = tomllib.loads(_example())
    assert set(raw["crawler"]) == set(CrawlerConfig.model_fields)
    (source,) = raw["sources"]
    assert set(source) == set(SourceConfig.model_fields)


def test_the_crawler_values_the_readme_shows_are_the_defaults_unless_it_says_otherwise() -> None:
    example = _example()
    block = example.split("[crawler]", 1)[1].split("[[sources]]", 1)[0]
    raw = tomllib.loads("[crawler]" + block)["crawler"]
    for key, value in raw.items():
        default = CrawlerConfig.model_fields[key].default
        line = next(line for line in block.splitlines() if line.startswith(f"{key} ="))
        said = f"{key}: README {value!r}, default {default!r}"
        assert value == default or "default" in line, said
