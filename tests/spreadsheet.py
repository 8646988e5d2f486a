"""Reading what a spreadsheet engine computed: cached values and error cells."""

from __future__ import annotations

from pathlib import Path

import openpyxl

ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "Err:502", "Err:504",
                          "Err:508", "Err:522"})


def error_cells(path: Path) -> dict[str, str]:
    """Every cell whose computed value is an error, as 'Sheet!A1' -> the error.

    openpyxl with ``data_only=True`` shows errors as their text; python-calamine would read
    them as '' and hide them.
    """
    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    found = {}
    try:
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value in ERROR_VALUES:
                        found[f"{sheet.title}!{cell.coordinate}"] = cell.value
    finally:
        book.close()
    return found
