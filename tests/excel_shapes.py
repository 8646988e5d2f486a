"""Arguments exactly as xlwings hands them to a worksheet function on Windows.

Excel gives a range as rows of cells; xlwings' own conversion stages (used here, not copied)
then turn a single cell into a scalar, a one-row or one-column range into a flat list and a
bigger range into a list of rows, unless the argument is declared ``ndim=2``. Numbers are
floats, empty and error cells None, dates datetime.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlwings.conversion.standard import AdjustDimensionsStage, Ensure2DStage


class _Context:
    def __init__(self, value: Any, rng: Any = None):
        self.value = value
        self.range = rng
        self.meta: dict[str, Any] = {}


def cell(value: Any) -> Any:
    """One cell's value as Excel holds it: numbers as floats, dates as datetime."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def excel_range(rows: list[list[Any]], *, ndim: int | None = None) -> Any:
    """A worksheet range (rows of cells) as xlwings passes it to a function argument."""
    context = _Context([[cell(value) for value in row] for row in rows])
    Ensure2DStage()(context)
    AdjustDimensionsStage({"ndim": ndim} if ndim else {})(context)
    return context.value


def range_argument(rng: Any) -> Any:
    """What an argument declared ``convert="range"`` receives for a range (xlwings' own
    reader: the Range itself), or for a value that is no range, such as #REF! (None)."""
    from xlwings.conversion import Options, accessors

    context = _Context(None, rng)
    accessors["range"].reader(Options({"convert": "range"}))(context)
    return context.value


def row(values: list[Any]) -> Any:
    """A one-row range: a flat list (a single cell: its value)."""
    return excel_range([values])


def column(values: list[Any]) -> Any:
    """A one-column range: a flat list too."""
    return excel_range([[value] for value in values])


def table(rows: list[list[Any]]) -> Any:
    """A range given to an argument declared ``ndim=2``: always a list of rows."""
    return excel_range(rows, ndim=2)


# -- ranges of a real workbook, as Excel passes them ----------------------------------------

def sheet_cells(path) -> dict[str, list[list[Any]]]:
    """Every sheet of a workbook file as Excel holds its cells (read with python-calamine):
    floats, datetimes, None for empty cells."""
    from clusterbook.excel.read import open_workbook, read_sheet

    book = open_workbook(path)
    try:
        return {name: [[None if value == "" else cell(value) for value in row]
                       for row in read_sheet(book, name, file=path.name).rows]
                for name in book.sheet_names}
    finally:
        book.close()


def range_values(sheets: dict[str, list[list[Any]]], sheet: str, reference: str) -> list[list]:
    """The values of a range such as '$A$4:$E$504' of a sheet, None beyond the used cells."""
    from clusterbook.forms.cells import parse_ref

    first, _, last = reference.partition(":")
    (top, left), (bottom, right) = parse_ref(first), parse_ref(last or first)
    rows = sheets[sheet]
    return [[rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else None
             for c in range(left, right + 1)] for r in range(top, bottom + 1)]


class ExcelRange:
    """The members of an xlwings Range a function declared with ``convert="range"`` reads:
    its values and its address (as Excel gives an external address)."""

    def __init__(self, book: str, sheet: str, reference: str, rows: list[list[Any]]):
        self.book, self.sheet_name, self.reference, self.rows = book, sheet, reference, rows
        self.calls = 0

    def options(self, ndim: int | None = None, **_: Any) -> ExcelRange:
        assert ndim == 2
        return self

    @property
    def value(self) -> list[list[Any]]:
        self.calls += 1
        return [list(row) for row in self.rows]

    def get_address(self, row_absolute: bool = True, column_absolute: bool = True,
                    include_sheetname: bool = False, external: bool = False) -> str:
        self.calls += 1
        assert external, "the sheet is asked for with the address, in one call"
        name = f"[{self.book}]{self.sheet_name}"
        plain = all(ch.isalnum() or ch in "_." for ch in name.strip("[]").replace("]", ""))
        quoted = name if plain else "'" + name.replace("'", "''") + "'"
        return f"{quoted}!{self.reference}"


def formula_ranges(formula: str) -> list[tuple[str, str]]:
    """The sheet-qualified ranges a formula passes, in order: [('Team (2)', '$A$4:$E$504')]."""
    import re

    from clusterbook.forms.cells import split_sheet_ref

    found = re.findall(r"((?:'(?:[^']|'')*'|[^,()'!=]+)!\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+)",
                       formula)
    return [split_sheet_ref(text) for text in found]
