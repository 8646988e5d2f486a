"""The cells of the book's input sections (Annex I, Follow-up) and what the cluster wrote
in them."""

from __future__ import annotations

import datetime as dt

from clusterbook.forms.cells import cell_ref, range_ref, sheet_ref
from clusterbook.forms.schema import TableSection
from clusterbook.reports.ccpm_book.formats import excel_serial
from clusterbook.reports.ccpm_content import ReportContent


def field_cell(section: TableSection, key: str, row: int, *, absolute: bool = False) -> str:
    """The A1 cell of a field in a sheet row (1-based) of a section."""
    return cell_ref(row, section.column_index(key), absolute=absolute)


def column_range(section: TableSection, key: str, *, sheet: bool = False) -> str:
    """The absolute range of a field's column over a section's data rows, sheet-qualified when
    asked."""
    column = section.column_index(key)
    ref = range_ref(section.first_data_row, column, section.last_data_row, column,
                    absolute=True)
    return sheet_ref(section.sheet, ref) if sheet else ref


def cell_text(value: object) -> str:
    """A cell's value as a formula compares it with "" (an empty cell is "")."""
    return "" if value is None else str(value)


def entry(content: ReportContent, section: str, offset: int, key: str) -> object:
    """What the cluster wrote in an input cell, when the book is written filled."""
    if content.annex is None:
        return None
    rows = content.annex.tables.get(section, [])
    return rows[offset].get(key) if offset < len(rows) else None


def cell_value(value: object) -> object:
    """What a formula referring to an input cell gets: a date as its serial number."""
    if isinstance(value, dt.date):
        return excel_serial(value if not isinstance(value, dt.datetime) else value.date())
    return "" if value is None else value
