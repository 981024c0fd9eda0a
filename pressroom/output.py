"""Render query results as an aligned text table, CSV or JSON.

Table columns are measured in terminal cells, not characters (``rich.cells``: East Asian wide
characters take two cells), so Chinese text lines up.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from rich.cells import cell_len, chop_cells

__all__ = ["format_rows"]

MAX_CELL = 80


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str = "table") -> str:
    """The rows in ``fmt`` (``table``, ``csv`` or ``json``), ending with a newline."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return buffer.getvalue()
    if fmt == "json":
        records = [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    return _table(columns, rows)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _cell(value: Any) -> str:
    if value is None:
        return "NULL"
    text = str(_plain(value)).replace("\n", " ")
    if cell_len(text) <= MAX_CELL:
        return text
    return chop_cells(text, MAX_CELL - 1)[0] + "…"


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [cell_len(c) for c in columns]
    for row in cells:
        widths = [max(w, cell_len(v)) for w, v in zip(widths, row, strict=True)]

    def line(values: Sequence[str]) -> str:
        padded = (v + " " * (w - cell_len(v)) for v, w in zip(values, widths, strict=True))
        return " | ".join(padded).rstrip()

    out = [line(columns), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    plural = "" if len(rows) == 1 else "s"
    out.append(f"({len(rows)} row{plural})")
    return "\n".join(out) + "\n"
