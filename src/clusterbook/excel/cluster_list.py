"""The cluster list from a file: a plain list (CSV or XLSX), the flags book, round data or a
campaign data book. It tells which clusters exist, their district, and which are on the
low-performing list."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

import pandas as pd

from clusterbook.domain.clusterlist import LOW_PERFORMING, ClusterList, cluster_list_from_flags
from clusterbook.domain.errors import ErrorKind, InputError, WorkbookError
from clusterbook.domain.table import canonical_column, header_key
from clusterbook.domain.values import clean_text, is_blank
from clusterbook.excel.read import iter_sheets, open_workbook, read_sheet
from clusterbook.excel.round_data import form_id, header_row_index, read_csv_table, sheet_table
from clusterbook.forms.databook import BENCHMARKS, DATABOOK, PARAMETERS

#: Headers of a column that holds each cluster's status ('Low performing', 'On track'...).
STATUS_HEADERS: Final = ("status", "currentstatus", "lpcstatus", "clusterstatus")
#: Headers of a yes/no column saying whether a cluster is on the low-performing list.
LISTED_HEADERS: Final = ("lowperforming", "lpc", "onthelist", "onlist", "listed",
                         "lowperformingcluster", "onthelowperforminglist")
_YES: Final = {"yes", "y", "true", "1", "x", "low performing", "lpc", "listed"}


def load_cluster_list(path: Path | str) -> ClusterList:
    """The cluster list in a file. Round data (one row per cluster per round) is classified
    with the framework's rules; its last round's status gives the low-performing list."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _from_table(read_csv_table(path)[0], path.name)
    if suffix not in (".xlsx", ".xlsm"):
        raise InputError(f"{path.name}: the cluster list must be a .csv or .xlsx file")
    book = open_workbook(path)
    try:
        if form_id(book) == DATABOOK.form_id:
            return _from_databook(book, path)
        tables = []
        for sheet in iter_sheets(book, file=path.name):
            header = header_row_index(sheet.rows, {"cluster_code", "district"})
            if header is not None:
                table, _ = sheet_table(path.name, sheet.name, sheet.rows, header)
                tables.append((sheet.name, table))
    finally:
        book.close()
    if not tables:
        raise WorkbookError(path.name, "no sheet has a table with 'Cluster code' and "
                                       "'District' columns", kind=ErrorKind.NOT_TEMPLATE)
    # The flags book's 'Current' sheet and a data book's round data come before other sheets.
    tables.sort(key=lambda item: (item[0] != "Current", not _is_round_data(item[1])))
    return _from_table(tables[0][1], f"{path.name} › {tables[0][0]}")


def _from_databook(book: Any, path: Path) -> ClusterList:
    """A campaign data book's clusters, flagged from its PCA and refusal rounds by the
    framework's rules with the book's own parameters and benchmark overrides (its status
    sheets are formulas, which hold no values until a spreadsheet saves the book)."""
    from clusterbook.domain.rules import classify_clusters
    from clusterbook.excel.round_data import read_round_file

    frame, source = read_round_file(path)
    sheet = read_sheet(book, PARAMETERS.sheet, file=path.name)
    parameters: dict[str, Any] = {}
    for item in PARAMETERS.fields:
        value = sheet.value(PARAMETERS.row_of(item.key), PARAMETERS.value_column)
        if not is_blank(value) and value != "":
            parameters[item.key] = float(value) if item.key != "rounds" else int(value)
    overrides = {}
    for row in range(BENCHMARKS.header_row + 1, BENCHMARKS.last_row + 1):
        label = clean_text(sheet.value(row, BENCHMARKS.label_column))
        override = sheet.value(row, BENCHMARKS.override_column)
        if label and isinstance(override, int | float) and not isinstance(override, bool):
            overrides[label] = float(override)
    flags = classify_clusters(frame, source=source, benchmark=overrides or None, **parameters)
    return cluster_list_from_flags(flags, source=f"{path.name} (its rounds, by the rules)")


def _is_round_data(frame: pd.DataFrame) -> bool:
    """Rounds with PCA values and no status column: the rules say which clusters are listed."""
    known = {canonical_column(header) for header in frame.columns}
    has_status = any(header_key(header) in STATUS_HEADERS + LISTED_HEADERS
                     for header in frame.columns)
    return {"round", "pca_coverage"} <= known and not has_status


def _from_table(frame: pd.DataFrame, source: str) -> ClusterList:
    if _is_round_data(frame):
        from clusterbook.domain.rules import classify_clusters

        return cluster_list_from_flags(classify_clusters(frame), source=source)
    columns: dict[str, str] = {}
    status_column = listed_column = None
    for header in frame.columns:
        key = header_key(header)
        if key in STATUS_HEADERS and status_column is None:
            status_column = header
            continue
        if key in LISTED_HEADERS and listed_column is None:
            listed_column = header
            continue
        canonical = canonical_column(header)
        if canonical in ("cluster_code", "province", "district", "cluster_name") and \
                canonical not in columns:
            columns[canonical] = header
    if "cluster_code" not in columns or "district" not in columns:
        raise InputError(f"{source}: the cluster list needs 'Cluster code' and 'District' "
                         f"columns (found: {', '.join(map(str, frame.columns))})")
    table = pd.DataFrame({key: frame[header].map(clean_text) for key, header in columns.items()})
    if status_column is not None:
        table["low_performing"] = [clean_text(value).casefold() == LOW_PERFORMING.casefold()
                                   for value in frame[status_column]]
    elif listed_column is not None:
        table["low_performing"] = [clean_text(value).casefold() in _YES
                                   for value in frame[listed_column]]
    return ClusterList.from_frame(table, source=source)
