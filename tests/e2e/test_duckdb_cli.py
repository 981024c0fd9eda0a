"""Issue 15 item 4: the README's DuckDB CLI example works as written on the demo warehouse.

The command is read from README.md and run as it stands, from a folder laid out as the README's
install leaves it (``.venv/bin/duckdb`` is the real binary of the ``cli`` extra, linked; the test
skips without it).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import query, run_cli

pytestmark = [pytest.mark.prefect, pytest.mark.usefixtures("prefect_api")]

README = Path(__file__).resolve().parents[2] / "README.md"
_BIN = str(Path(sys.executable).parent)
DUCKDB_CLI = shutil.which("duckdb", path=_BIN + os.pathsep + os.environ.get("PATH", ""))


def readme_cli_example() -> list[str]:
    """The README's ``.venv/bin/duckdb -readonly ...`` line, split as a shell would."""
    lines = README.read_text(encoding="utf-8").splitlines()
    (line,) = [x for x in lines if x.startswith(".venv/bin/duckdb ")]
    return shlex.split(line)


@pytest.mark.skipif(DUCKDB_CLI is None, reason="no DuckDB CLI (pip install -e '.[cli]')")
def test_readme_duckdb_cli_example_reads_the_demo_warehouse(tmp_path: Path) -> None:
    result = run_cli("demo", "--dir", str(tmp_path / "pressroom-demo"))
    assert result.exit_code == 0, result.output
    command = readme_cli_example()
    assert command[:2] == [".venv/bin/duckdb", "-readonly"]

    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "duckdb").symlink_to(DUCKDB_CLI)

    shown = subprocess.run(
        command,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert shown.returncode == 0, shown.stderr
    (count,) = query(tmp_path / "pressroom-demo" / "pressroom.duckdb", command[-1])
    assert count[0] >= 60
    # the CLI's box table: a header row, then the one value in a row of its own
    cells = [line.strip("│ ") for line in shown.stdout.splitlines()]
    assert cells[1:5:3] == ["count_star()", str(count[0])]
