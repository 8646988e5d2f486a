"""A1 references: the one place that turns row and column numbers into 'C7' and back (pure)."""

from __future__ import annotations

import re
from functools import lru_cache

_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")

MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


@lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """The letters of a 1-based column number: 1 -> 'A', 27 -> 'AA'."""
    if not 1 <= index <= MAX_COLUMNS:
        raise ValueError(f"column {index} is outside 1..{MAX_COLUMNS}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """The 1-based column number of letters: 'A' -> 1, 'AA' -> 27."""
    index = 0
    for char in letters.upper():
        if not "A" <= char <= "Z":
            raise ValueError(f"'{letters}' is not a column")
        index = index * 26 + ord(char) - 64
    return index


def cell_ref(row: int, column: int, *, absolute: bool = False, fixed_row: bool = False,
             fixed_column: bool = False) -> str:
    """An A1 reference from 1-based row and column numbers: (7, 3) -> 'C7'.

    ``absolute`` fixes both ('$C$7'); ``fixed_row`` or ``fixed_column`` fix one ('C$7',
    '$C7'), as formulas copied along a row or down a column need."""
    column_dollar = "$" if absolute or fixed_column else ""
    row_dollar = "$" if absolute or fixed_row else ""
    return f"{column_dollar}{column_letter(column)}{row_dollar}{row}"


def parse_ref(ref: str) -> tuple[int, int]:
    """The 1-based (row, column) of an A1 reference: 'C7' -> (7, 3)."""
    match = _REF.match(ref.strip())
    if not match:
        raise ValueError(f"'{ref}' is not a cell reference")
    return int(match.group(2)), column_index(match.group(1))


def range_ref(first_row: int, first_column: int, last_row: int, last_column: int,
              *, absolute: bool = False) -> str:
    """An A1 range: (1, 1, 10, 3) -> 'A1:C10'."""
    return (f"{cell_ref(first_row, first_column, absolute=absolute)}:"
            f"{cell_ref(last_row, last_column, absolute=absolute)}")


def sheet_ref(sheet: str, ref: str) -> str:
    """A reference qualified by its sheet, quoted when the name needs it: 'Team A'!C7."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", sheet):
        return f"{sheet}!{ref}"
    return "'" + sheet.replace("'", "''") + "'!" + ref


def split_sheet_ref(text: str) -> tuple[str, str]:
    """The sheet and the reference of a sheet-qualified reference, the inverse of
    :func:`sheet_ref`: "'Team (2)'!$A$4:$E$504" -> ('Team (2)', '$A$4:$E$504'). A workbook
    part ('[Plan.xlsm]Team!A1') is dropped; an unqualified reference has sheet ''."""
    sheet, bang, ref = text.strip().rpartition("!")
    if not bang:
        return "", ref
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    # Sheet names cannot hold brackets, so the last ']' ends a workbook name.
    return sheet[sheet.rfind("]") + 1:], ref
