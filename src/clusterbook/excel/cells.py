"""A1 references for the adapters; the helpers live in :mod:`clusterbook.forms.cells` so that the
pure parts of ClusterBook (forms, domain) name cells the same way."""

from __future__ import annotations

from clusterbook.forms.cells import (
    MAX_COLUMNS,
    MAX_ROWS,
    cell_ref,
    column_index,
    column_letter,
    parse_ref,
    range_ref,
    sheet_ref,
    split_sheet_ref,
)

__all__ = ["MAX_COLUMNS", "MAX_ROWS", "cell_ref", "column_index", "column_letter", "parse_ref",
           "range_ref", "sheet_ref", "split_sheet_ref"]
