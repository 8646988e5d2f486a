"""Round data files (CSV or XLSX, one row per cluster per round) into the round table."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from clusterbook.domain.errors import InputError, Location, WorkbookError
from clusterbook.domain.table import LABELS, TableSource, canonical_column, prepare_round_table
from clusterbook.domain.values import to_number
from clusterbook.excel.read import iter_sheets, open_workbook, read_sheet
from clusterbook.forms.cells import cell_ref, column_letter
from clusterbook.forms.databook import CLUSTERS, DATABOOK, PCA, REFUSALS, RoundGrid
from clusterbook.forms.schema import FORM_ID_ROW, FORM_SHEET

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_HEADER_SEARCH_ROWS = 20
_ENCODINGS = ("utf-8-sig", "utf-16", "cp1252")
_HEAD_BYTES = 1 << 16


def read_round_file(path: Path | str) -> tuple[pd.DataFrame, TableSource]:
    """The raw table of a round data file and where each of its values sits."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return read_csv_table(path, header=ROUND_HEADER, categorical=True)
    if suffix in (".xlsx", ".xlsm", ".xls"):
        return _read_workbook(path)
    raise InputError([(Location(file=path.name),
                       "round data must be a .csv or .xlsx file")])


def load_round_table(path: Path | str) -> pd.DataFrame:
    """The prepared round table of a CSV or XLSX file (see ``prepare_round_table``)."""
    frame, source = read_round_file(path)
    return prepare_round_table(frame, source)


@dataclass(frozen=True)
class HeaderRule:
    """What a header row names: every column of ``all_of`` and one of ``any_of`` (canonical
    names such as 'cluster_code')."""

    all_of: frozenset[str]
    any_of: frozenset[str] = frozenset()

    def matches(self, known: set[str]) -> bool:
        return self.all_of <= known and (not self.any_of or bool(self.any_of & known))


#: A round table's header: the cluster and its round (a 'Date' column may name the rounds).
ROUND_HEADER: Final = HeaderRule(frozenset({"cluster_code"}), frozenset({"round", "round_date"}))


def read_csv_table(path: Path, *, header: HeaderRule | None = None, categorical: bool = False
                   ) -> tuple[pd.DataFrame, TableSource]:
    """Any CSV table as text (delimiter and encoding found), blank rows dropped, with the file
    row of every data row.

    With ``header``, the header is the first of the file's first rows that names its columns
    (title rows above it are skipped). With ``categorical``, every column is a categorical of
    text: a large table is read without making one string per cell.
    """
    try:
        with path.open("rb") as handle:
            head_bytes = handle.read(_HEAD_BYTES)
            whole = len(head_bytes) < _HEAD_BYTES
    except FileNotFoundError:
        raise InputError([(Location(file=path.name), "the file does not exist")]) from None
    if whole and (not head_bytes or head_bytes.isspace()):
        raise InputError([(Location(file=path.name), "the file is empty")])
    try:
        # UTF-8 is parsed by pandas from the file itself: no copy of a large file in memory.
        head = head_bytes.decode("utf-8-sig", errors="ignore")
        delimiter, skip = _layout(head, header)
        frame = _parse(path, path.name, delimiter, skip, categorical, "utf-8-sig")
    except UnicodeDecodeError:
        text = _decode(path.read_bytes(), path.name)
        delimiter, skip = _layout(text, header)
        frame = _parse(io.StringIO(text), path.name, delimiter, skip, categorical, None)
    frame.columns = [str(column).strip() for column in frame.columns]
    blank = _blank_rows(frame)
    first_row = skip + 2
    if not blank.any():
        return frame, TableSource(file=path.name, first_row=first_row)
    kept = np.flatnonzero(~blank)
    rows = tuple((kept + first_row).tolist())
    return frame.iloc[kept].reset_index(drop=True), TableSource(file=path.name, row_numbers=rows)


def _parse(stream: Path | io.StringIO, name: str, delimiter: str, skip: int,
           categorical: bool, encoding: str | None) -> pd.DataFrame:
    try:
        return pd.read_csv(stream, sep=delimiter, dtype="category" if categorical else str,
                           keep_default_na=False, skip_blank_lines=False, skiprows=skip,
                           quoting=csv.QUOTE_MINIMAL, encoding=encoding)
    except UnicodeDecodeError:
        raise
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError([(Location(file=name), f"the file is not a readable table "
                                                f"({str(error).splitlines()[0]})")]) from None


def _layout(text: str, header: HeaderRule | None) -> tuple[str, int]:
    """The delimiter and the number of lines above the header row."""
    lines = text[:_HEAD_BYTES].split("\n", _HEADER_SEARCH_ROWS)[:_HEADER_SEARCH_ROWS]
    if header is not None:
        for delimiter in (",", ";", "\t"):
            index = header_row_index(list(csv.reader(lines, delimiter=delimiter)), header)
            if index is not None:
                return delimiter, index
    first_line = lines[0] if lines else ""
    return max((",", ";", "\t"), key=first_line.count), 0


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or spaces."""
    blank = np.ones(len(frame), dtype=bool)
    for _, column in frame.items():
        if isinstance(column.dtype, pd.CategoricalDtype):
            empty = np.asarray([not str(value).strip() for value in column.cat.categories] + [True])
            blank &= empty[column.cat.codes.to_numpy()]  # code -1 (a missing cell) is empty
        else:
            blank &= (column.fillna("").str.strip() == "").to_numpy()
        if not blank.any():
            break
    return blank


def _decode(raw: bytes, name: str) -> str:
    for encoding in _ENCODINGS:
        if encoding == "utf-16" and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue  # almost any bytes decode as UTF-16: only a marked file is
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError([(Location(file=name), "the file's text encoding is not readable; "
                                            "save it as 'CSV UTF-8' from Excel")])


def _read_workbook(path: Path) -> tuple[pd.DataFrame, TableSource]:
    book = open_workbook(path)
    try:
        if form_id(book) == DATABOOK.form_id:
            return _databook_table(book, path.name)
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
        index = header_row_index(rows, ROUND_HEADER)
        if index is not None:
            return sheet_table(file, name, rows, index)
    raise WorkbookError(file, "no sheet has a header row with 'Cluster code' and 'Round' "
                              "(or 'Date') columns")


def header_row_index(rows: Sequence[Sequence[object]], columns: set[str] | HeaderRule
                     ) -> int | None:
    """The 0-based index of the first row (within a sheet's first rows) whose headers name
    all of ``columns`` (canonical names such as 'cluster_code'), or None."""
    rule = columns if isinstance(columns, HeaderRule) else HeaderRule(frozenset(columns))
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        known = {canonical_column(cell) for cell in row
                 if cell is not None and str(cell).strip()} - {None}
        if rule.matches(known):  # type: ignore[arg-type]
            return index
    return None


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


def form_id(book: Any) -> str:
    """The form id a workbook records on its hidden form sheet, or '' when it has none."""
    if FORM_SHEET not in book.sheet_names:
        return ""
    return str(read_sheet(book, FORM_SHEET).value(FORM_ID_ROW, 2)).strip()


def _databook_table(book: Any, file: str) -> tuple[pd.DataFrame, TableSource]:
    """The long round table of a filled campaign data book: one row per listed cluster per
    labelled round, read from the Clusters, PCA and Refusals sheets."""
    clusters = read_sheet(book, CLUSTERS.sheet, file=file)
    grids = {grid.key: read_sheet(book, grid.sheet, file=file) for grid in (PCA, REFUSALS)}
    columns = {key: CLUSTERS.column_index(key)
               for key in ("province", "district", "cluster_code", "cluster_name")}
    labels = [(number, grids[PCA.key].value(PCA.header_row, PCA.column_of_round(number)))
              for number in range(1, PCA.rounds + 1)]
    labels = [(number, label) for number, label in labels if str(label).strip()]
    problems: list[tuple[Location, str]] = []
    records, rows = [], []
    for offset in range(CLUSTERS.rows):
        row = CLUSTERS.first_data_row + offset
        code = str(clusters.value(row, columns["cluster_code"])).strip()
        if not code:
            continue
        place = {key: clusters.value(row, column) for key, column in columns.items()}
        for number, label in labels:
            record = {LABELS[key]: value for key, value in place.items()}
            record[LABELS["round"]] = label
            for grid in (PCA, REFUSALS):
                record[LABELS[grid.key]] = _grid_value(grid, grids[grid.key], file, row,
                                                       number, problems)
            records.append(record)
            rows.append(row)
    if problems:
        raise InputError(problems[:50])
    frame = pd.DataFrame(records, columns=[LABELS[key] for key in (
        "province", "district", "cluster_code", "cluster_name", "round", "pca_coverage",
        "refusal_rate")], dtype=object)
    return frame, TableSource(file=file, sheet=CLUSTERS.sheet, row_numbers=tuple(rows))


def _grid_value(grid: RoundGrid, sheet: Any, file: str, row: int, number: int,
                problems: list[tuple[Location, str]]) -> float | None:
    column = grid.column_of_round(number)
    value = sheet.value(row, column)
    try:
        number_value = to_number(value)
    except ValueError as reason:
        problems.append((Location(file=file, sheet=grid.sheet, cell=cell_ref(row, column)),
                         f"{LABELS[grid.key]} '{value}' {reason}"))
        return None
    if number_value is not None and not 0 <= number_value <= 100:
        problems.append((Location(file=file, sheet=grid.sheet,
                                  cell=cell_ref(row, column)),
                         f"{LABELS[grid.key]} {number_value:g} is outside 0 to 100"))
        return None
    return number_value
