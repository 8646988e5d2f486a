"""A book that shows what the worksheet functions give, for the demo and the docs.

Sheets: CLUSTER_STATUS (the rules' worked example, each formula beside its answer),
CLUSTER_FLAGS (every cluster of the sample region, as the spilled formula shows it), and the
PCA and Refusals tables the formulas point at. The answers are values computed by the very
functions Excel calls; the formulas are shown as text, so the book reads the same in any
spreadsheet, with or without the add-in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook.excel.cells import range_ref, sheet_ref
from clusterbook.excel.write import new_workbook, print_ready
from clusterbook.styles import HEADER, STATUS_COLOURS
from clusterbook.udfs import CLUSTER_FLAGS, CLUSTER_STATUS
from clusterbook.udfs.flags import FLAG_COLUMNS

#: The rules' worked example (N = 3, benchmark 90): coverage of clusters A, B and C.
WORKED_EXAMPLE = {"A": [85, 88, 89, 96, 97, 98], "B": [85, 88, 92, 85, 86, 84],
                  "C": [85, None, 85, 85, 85, 96]}


def write_functions_example(path: Path | str, rounds: pd.DataFrame, *, notice: str = "") -> Path:
    """Write the example book from a long round table (the sample region's)."""
    path = Path(path)
    labels = list(dict.fromkeys(rounds["round"]))
    clusters = rounds.drop_duplicates("cluster_code")[
        ["province", "district", "cluster_code", "cluster_name"]]
    with new_workbook(path) as book:
        formats = _formats(book)
        _status_sheet(book, formats)
        tables = {name: _wide(rounds, column, labels, clusters["cluster_code"])
                  for name, column in (("PCA", "pca_coverage"), ("Refusals", "refusal_rate"))}
        _flags_sheet(book, formats, clusters, tables, labels, notice)
        for name, table in tables.items():
            _table_sheet(book, formats, name, clusters, table, labels)
    return path


def _formats(book: Workbook) -> dict[str, Any]:
    formats = {
        "title": book.add_format({"bold": True, "font_size": 14, "font_color": HEADER.fill}),
        "note": book.add_format({"italic": True, "font_color": "595959", "text_wrap": True,
                                 "valign": "top"}),
        "header": book.add_format({"bold": True, "bg_color": HEADER.fill, "border": 1,
                                   "font_color": HEADER.text, "text_wrap": True,
                                   "valign": "top"}),
        "formula": book.add_format({"font_name": "Consolas", "font_color": "1F4E78",
                                    "indent": 1}),
        "number": book.add_format({"num_format": "0.0"}),
        "label": book.add_format({"bold": True, "align": "right"}),
        "round": book.add_format({"bold": True, "bg_color": HEADER.fill, "border": 1,
                                  "font_color": HEADER.text, "align": "right"}),
    }
    for status, colour in STATUS_COLOURS.items():
        formats[status] = book.add_format({"bg_color": colour.fill, "font_color": colour.text})
    return formats


def _colour_statuses(sheet: Worksheet, formats: dict[str, Any], first: int, last: int,
                     column: int) -> None:
    for status in STATUS_COLOURS:
        sheet.conditional_format(first, column, last, column, {
            "type": "cell", "criteria": "==", "value": f'"{status}"', "format": formats[status]})


def _status_sheet(book: Workbook, formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet("CLUSTER_STATUS")
    sheet.write(0, 0, "=CLUSTER_STATUS(): one cluster's status in the last round",
                formats["title"])
    sheet.merge_range(1, 0, 1, 10, "The worked example of the low-performing cluster rules: "
                      "3 rounds to enter or leave the list, benchmark 90 in every round, no "
                      "refusals. Each formula (shown as text) sits beside the answer the "
                      "function gives.", formats["note"])
    sheet.set_row(1, 30)
    headers = ["Cluster", *(f"R{k + 1}" for k in range(6)), "Formula for R3", "Status in R3",
               "Formula for R6", "Status in R6"]
    for column, header in enumerate(headers):
        sheet.write(3, column, header, formats["round" if 1 <= column <= 6 else "header"])
    sheet.set_column(0, 6, 7)
    sheet.set_column(7, 10, 16)
    sheet.set_column(7, 7, 38)
    sheet.set_column(9, 9, 46)
    for row, (name, coverage) in enumerate(WORKED_EXAMPLE.items(), start=4):
        sheet.write(row, 0, name)
        for column, value in enumerate(coverage, start=1):
            if value is not None:
                sheet.write_number(row, column, value)
        for column, last in ((7, 3), (9, 6)):
            cells = range_ref(row + 1, 2, row + 1, 1 + last)
            zeros = ",".join(["0"] * last)
            sheet.write_string(row, column, f"=CLUSTER_STATUS({cells}, {{{zeros}}}, 90)",
                               formats["formula"])
            sheet.write_string(row, column + 1, CLUSTER_STATUS(
                [None if v is None else float(v) for v in coverage[:last]], [0.0] * last,
                90.0))
    for column in (8, 10):
        _colour_statuses(sheet, formats, 4, 3 + len(WORKED_EXAMPLE), column)
    print_ready(sheet, header_row=3)


def _wide(rounds: pd.DataFrame, column: str, labels: list[Any],
          codes: pd.Series) -> list[list[float | None]]:
    wide = rounds.pivot(index="cluster_code", columns="round", values=column).loc[
        codes.tolist(), labels]
    return [[None if value != value else float(value) for value in values]
            for values in wide.to_numpy()]


def _flags_sheet(book: Workbook, formats: dict[str, Any], clusters: pd.DataFrame,
                 tables: dict[str, list[list[float | None]]], labels: list[Any],
                 notice: str) -> None:
    sheet = book.add_worksheet("CLUSTER_FLAGS")
    last_row, last_column = len(clusters) + 1, len(labels) + 2
    pca = sheet_ref("PCA", range_ref(2, 3, last_row, last_column))
    refusal = sheet_ref("Refusals", range_ref(2, 3, last_row, last_column))
    header = sheet_ref("PCA", range_ref(1, 3, 1, last_column))
    formula = f"=CLUSTER_FLAGS({pca}, {refusal}, , {header})"
    sheet.write(0, 0, "=CLUSTER_FLAGS(): every cluster in one formula", formats["title"])
    sheet.merge_range(1, 0, 1, 7, "In Excel on Windows with the ClusterBook add-in, the "
                      "formula below, typed in E5, spills the four coloured columns. The values "
                      "here are what the function gives for the PCA and Refusals sheets."
                      + (f" {notice}" if notice else ""), formats["note"])
    sheet.set_row(1, 45)
    sheet.write_string(2, 3, "Formula in E5:", formats["label"])
    sheet.write_string(2, 4, formula, formats["formula"])
    identity = ["Province", "District", "Cluster code", "Cluster name"]
    for column, title in enumerate([*identity, *FLAG_COLUMNS]):
        sheet.write(3, column, title, formats["header"])
    sheet.set_row(3, 30)
    for column, width in enumerate((16, 13, 11, 20, 15, 34, 9, 9)):
        sheet.set_column(column, column, width)
    flags = CLUSTER_FLAGS(tables["PCA"], tables["Refusals"], None, labels)
    for row, (identity_values, flag_values) in enumerate(
            zip(clusters.itertuples(index=False), flags, strict=True), start=4):
        for column, value in enumerate([*identity_values, *flag_values]):
            if isinstance(value, str):
                sheet.write_string(row, column, value)
            else:
                sheet.write_number(row, column, value)
    _colour_statuses(sheet, formats, 4, 3 + len(flags), 4)
    sheet.freeze_panes(4, 3)
    print_ready(sheet, header_row=3)


def _table_sheet(book: Workbook, formats: dict[str, Any], name: str, clusters: pd.DataFrame,
                 table: list[list[float | None]], labels: list[Any]) -> None:
    sheet = book.add_worksheet(name)
    for column, title in enumerate(["Cluster code", "Cluster name", *map(str, labels)]):
        sheet.write_string(0, column, title, formats["header" if column < 2 else "round"])
    sheet.set_column(0, 0, 11)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 1 + len(labels), 6, formats["number"])
    for row, (code, cluster_name, values) in enumerate(
            zip(clusters["cluster_code"], clusters["cluster_name"], table, strict=True), start=1):
        sheet.write_string(row, 0, str(code))
        sheet.write_string(row, 1, str(cluster_name))
        for column, value in enumerate(values, start=2):
            if value is not None:
                sheet.write_number(row, column, value)
    sheet.freeze_panes(1, 2)
    print_ready(sheet, header_row=0)
