"""Where a value of an input row sits: rows carry ``file``, ``sheet`` and '<field>@cell'
columns, and findings name that place."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from clusterbook.domain.values import clean_text, is_blank


def cell_of(row: Mapping[Hashable, Any], column: str) -> str:
    """The cell of a field in an input row: rows carry '<field>@cell' columns."""
    value = row.get(f"{column}@cell", "")
    return "" if is_blank(value) else str(value)


def place_of(row: Mapping[Hashable, Any], column: str) -> dict[str, str]:
    """The file, sheet and cell of a field in an input row, as a finding takes them."""
    return {"file": clean_text(row.get("file", "")), "sheet": clean_text(row.get("sheet", "")),
            "cell": cell_of(row, column)}
