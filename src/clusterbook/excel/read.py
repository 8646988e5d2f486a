"""Reading workbooks fast with python-calamine, and saying plainly why a file cannot be read.

Every file goes through the intake (:mod:`clusterbook.excel.intake`); every file problem
becomes a :class:`WorkbookError` whose message names the file and the reason in words: a lock
file, an empty or truncated file, a password, a bomb, a pipe, not a workbook.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import python_calamine as calamine

from clusterbook.domain.errors import ErrorKind, WorkbookError
from clusterbook.excel.intake import first_line, is_lock_file, open_intake, take

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class SheetData:
    """The values of one sheet as calamine reads them, rows and columns 1-based in refs."""

    name: str
    rows: list[list[Any]]

    def value(self, row: int, column: int) -> Any:
        """The value at a 1-based row and column, '' when outside the used area."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= column <= len(cells):
                return cells[column - 1]
        return ""


def open_workbook(path: Path | str) -> calamine.CalamineWorkbook:
    """Open a workbook for reading through the intake (found, read once, checked and bounded);
    errors become WorkbookError."""
    return open_intake(take(path))


def read_sheet(book: calamine.CalamineWorkbook, name: str, *, file: str = "") -> SheetData:
    """Every value of a sheet from A1 (empty leading rows and columns kept, so refs hold)."""
    try:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
    except calamine.WorksheetNotFound:
        raise WorkbookError(file, f"the workbook has no sheet named '{name}'",
                            kind=ErrorKind.NOT_TEMPLATE) from None
    except WorkbookError:
        raise  # the intake's own check of the sheet says why
    except Exception as error:
        raise WorkbookError(file, f"sheet '{name}' cannot be read ({first_line(error)})",
                            kind=ErrorKind.DAMAGED) from None
    return SheetData(name, rows)


def iter_sheets(book: calamine.CalamineWorkbook, *, file: str = "") -> Iterator[SheetData]:
    """Every worksheet of a book, in order."""
    for name in book.sheet_names:
        yield read_sheet(book, name, file=file)


__all__ = ["WORKBOOK_SUFFIXES", "SheetData", "is_lock_file", "iter_sheets",
           "open_workbook", "read_sheet"]
