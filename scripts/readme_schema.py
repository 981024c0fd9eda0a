"""Rewrite the README's table reference from the migrations' COMMENTs.

    python scripts/readme_schema.py          # rewrite README.md in place
    python scripts/readme_schema.py --check  # exit 1 when README.md is out of date

The section lives between ``<!-- schema:start -->`` and ``<!-- schema:end -->``; the test
suite checks it matches, so a migration that adds a column also documents it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pressroom.warehouse.query import describe_schema

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def schema_markdown() -> str:
    """Markdown for every table and view: its comment, then a column table."""
    parts = []
    for doc in describe_schema(None).tables:
        parts.append(f"### `{doc.name}` ({doc.kind})\n\n{doc.comment or ''}\n")
        parts.append("| column | type | meaning |\n|---|---|---|")
        for col in doc.columns:
            comment = (col.comment or "").replace("|", "\\|")
            parts.append(f"| `{col.name}` | {col.type} | {comment} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def render(readme_text: str) -> str:
    """The README text with the schema section replaced."""
    head, _, rest = readme_text.partition(START)
    _, _, tail = rest.partition(END)
    return f"{head}{START}\n{schema_markdown()}{END}{tail}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, do not write")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    wanted = render(text)
    if args.check:
        if wanted != text:
            print("README.md schema section is out of date: run scripts/readme_schema.py")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
