"""Round data files (CSV or XLSX, one row per cluster per round) into the round table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from clusterbook.domain.errors import InputError, Location, WorkbookError
from clusterbook.domain.table import TableSource, canonical_column, prepare_round_table
from clusterbook.excel.cells import column_letter
from clusterbook.excel.read import iter_sheets, open_workbook

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_HEADER_SEARCH_ROWS = 20
_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252")


def read_round_file(path: Path | str) -> tuple[pd.DataFrame, TableSource]:
    """The raw table of a round data file and where each of its values sits."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv_table(path)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_workbook(path)
    raise InputError([(Location(file=path.name),
                       "round data must be a .csv or .xlsx file")])


def load_round_table(path: Path | str) -> pd.DataFrame:
    """The prepared round table of a CSV or XLSX file (see ``prepare_round_table``)."""
    frame, source = read_round_file(path)
    return prepare_round_table(frame, source)


def read_csv_table(path: Path) -> tuple[pd.DataFrame, TableSource]:
    """Any CSV table as text (delimiter and encoding found), blank rows dropped, with the file
    row of every data row."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError([(Location(file=path.name), "the file does not exist")]) from None
    if not raw.strip():
        raise InputError([(Location(file=path.name), "the file is empty")])
    text = _decode(raw, path.name)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError([(Location(file=path.name), f"the file is not a readable table "
                                                     f"({str(error).splitlines()[0]})")]) from None
    frame.columns = [str(column).strip() for column in frame.columns]
    blank = (frame.apply(lambda column: column.str.strip()) == "").all(axis=1)
    frame = frame[~blank.to_numpy()]
    rows = tuple(int(index) + 2 for index in frame.index)
    return frame.reset_index(drop=True), TableSource(file=path.name, row_numbers=rows)


def _decode(raw: bytes, name: str) -> str:
    for encoding in _ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([(Location(file=name), "the file's text encoding is not readable; "
                                            "save it as 'CSV UTF-8' from Excel")])


def _read_workbook(path: Path) -> tuple[pd.DataFrame, TableSource]:
    book = open_workbook(path)
    try:
        return find_round_table(path.name, ((sheet.name, sheet.rows)
                                            for sheet in iter_sheets(book, file=path.name)))
    finally:
        book.close()


def find_round_table(file: str, sheets: Iterable[tuple[str, list[list[object]]]]
                     ) -> tuple[pd.DataFrame, TableSource]:
    """The round table in the first sheet with a header row naming 'Cluster code' and
    'Round' (within its first rows), from each sheet's cells from A1 ('' or None when
    empty); a workbook file and an open book both come here."""
    for name, rows in sheets:
        for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            known = {canonical_column(cell) for cell in row
                     if cell is not None and str(cell).strip()} - {None}
            if {"cluster_code", "round"} <= known:
                return sheet_table(file, name, rows, index)
    raise WorkbookError(file, "no sheet has a header row with 'Cluster code' and 'Round' "
                              "columns")


def sheet_table(file: str, sheet: str, rows: list[list[object]],
                header_index: int) -> tuple[pd.DataFrame, TableSource]:
    """The table under the header row ``header_index`` (0-based) of a sheet's rows, with the
    sheet row of every data row and the column letter of every header."""
    header = rows[header_index]
    used = [position for position, cell in enumerate(header)
            if cell is not None and str(cell).strip()]
    headers = [str(header[position]).strip() for position in used]
    body, numbers = [], []
    for offset, row in enumerate(rows[header_index + 1:], start=header_index + 2):
        values = [row[position] if position < len(row) else "" for position in used]
        if all(value == "" or value is None for value in values):
            continue
        body.append(values)
        numbers.append(offset)
    frame = pd.DataFrame(body, columns=headers, dtype=object)
    letters = {name: column_letter(position + 1) for name, position in zip(headers, used,
                                                                             strict=True)}
    return frame, TableSource(file=file, sheet=sheet, column_letters=letters,
                              row_numbers=tuple(numbers))
