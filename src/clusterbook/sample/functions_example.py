"""A book that shows what the worksheet functions give, for the demo and the docs.

Sheets: CLUSTER_STATUS (the rules' worked example, each formula beside its answer),
CLUSTER_FLAGS (every cluster of the sample region, as the spilled formula shows it),
MICROPLAN_CHECK (what the live check of a sample microplan with mistakes spills), CCPM (a
question's score and status per row), and the PCA and Refusals tables the formulas point at.
The answers are values computed by the very functions Excel calls; the formulas are shown as
text, so the book reads the same in any spreadsheet, with or without the add-in. The long sheets
print their first clusters only (PRINTED_CLUSTERS): the book prints in a handful of pages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook.excel.write import new_workbook, print_ready
from clusterbook.forms.cells import range_ref, sheet_ref
from clusterbook.styles import BAND_COLOURS, FINDING_COLOURS, HEADER, STATUS_COLOURS
from clusterbook.udfs import CCPM_SCORE, CCPM_STATUS, CLUSTER_FLAGS, CLUSTER_STATUS, MICROPLAN_CHECK
from clusterbook.udfs.flags import FLAG_COLUMNS
from clusterbook.udfs.microplan import CHECK_COLUMNS

#: The long sheets (CLUSTER_FLAGS, PCA, Refusals) print this many clusters, a page each.
PRINTED_CLUSTERS = 30
#: The rules' worked example (N = 3, benchmark 90): coverage of clusters A, B and C.
WORKED_EXAMPLE = {"A": [85, 88, 89, 96, 97, 98], "B": [85, 88, 92, 85, 86, 84],
                  "C": [85, None, 85, 85, 85, 96]}
#: A sample cluster's microplan, and the mistakes made in it for the live check to show.
MICROPLAN_EXAMPLE = ("KTL-004", ("bad-phone", "household-ratio", "review-before-end"))
#: CCPM questions and their answers by five respondents (None: left blank).
CCPM_EXAMPLE = [
    ("1.1a", "Agreement", ["Agree", "Agree", "Agree", "Don't know", None]),
    ("2.1b", "Agreement", ["Strongly agree", "Agree", "Strongly agree", "Agree", "Neutral"]),
    ("3.2b", "Frequency", ["Sometimes", "Fairly often", "Rarely", "Never", "Very regularly"]),
    ("4.1a", "Yes/No", ["Yes", "No", "No", "No", "Not applicable"]),
    ("6.1c", "Yes/No", ["Don't know", None, "Not applicable", None, None]),
]


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
        _check_sheet(book, formats)
        _ccpm_sheet(book, formats)
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
        # Above a formula column: indented as the formula, so it stands apart from the left.
        "formula_header": book.add_format({"bold": True, "bg_color": HEADER.fill, "border": 1,
                                           "font_color": HEADER.text, "text_wrap": True,
                                           "valign": "top", "align": "left", "indent": 1}),
        "number": book.add_format({"num_format": "0.0"}),
        "label": book.add_format({"bold": True, "align": "right"}),
        "round": book.add_format({"bold": True, "bg_color": HEADER.fill, "border": 1,
                                  "font_color": HEADER.text, "align": "right"}),
    }
    for status, colour in {**STATUS_COLOURS, **BAND_COLOURS}.items():
        formats[status] = book.add_format({"bg_color": colour.fill, "font_color": colour.text})
    for severity, colour in FINDING_COLOURS.items():
        formats[severity.capitalize()] = book.add_format(
            {"bg_color": colour.fill, "font_color": colour.text, "valign": "top"})
    formats["wrap"] = book.add_format({"text_wrap": True, "valign": "top"})
    formats["formula_wrap"] = book.add_format({"font_name": "Consolas", "font_color": "1F4E78",
                                               "text_wrap": True, "valign": "top"})
    formats["top"] = book.add_format({"valign": "top"})
    formats["score"] = book.add_format({"num_format": "0.0"})
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
        sheet.write(3, column, header, formats["round" if 1 <= column <= 6 else
                                              "formula_header" if column in (7, 9) else
                                              "header"])
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
                      "here are what the function gives for the PCA and Refusals sheets. "
                      + _printed_note(len(clusters)) + (f" {notice}" if notice else ""),
                      formats["note"])
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
    sheet.print_area(0, 0, 3 + min(len(flags), PRINTED_CLUSTERS), 7)


def _printed_note(clusters: int) -> str:
    if clusters <= PRINTED_CLUSTERS:
        return ""
    return (f"The first {PRINTED_CLUSTERS} of the {clusters:,} clusters print; to print more, "
            f"select rows and print the selection.")


def _check_sheet(book: Workbook, formats: dict[str, Any]) -> None:
    from clusterbook.domain.submission import blocks_from_data
    from clusterbook.forms import MICROPLAN
    from clusterbook.sample.submissions import microplan_data, with_mistake
    from clusterbook.templates.form_book import check_formula

    code, mistakes = MICROPLAN_EXAMPLE
    data = microplan_data(code)
    for kind in mistakes:
        data, _ = with_mistake(data, kind)
    rows = MICROPLAN_CHECK(*blocks_from_data(data))
    sheet = book.add_worksheet("MICROPLAN_CHECK")
    sheet.write(0, 0, "=MICROPLAN_CHECK(): what to correct in a microplan, as you type",
                formats["title"])
    sheet.merge_range(1, 0, 1, 3, f"The Checks sheet of the microplan template holds this "
                      f"formula in A6. Filled for sample cluster {code} with three mistakes (a "
                      f"contact, the households, a review date), it spills the rows below: the "
                      f"findings clusterbook validate gives for the same file.", formats["note"])
    sheet.set_row(1, 45)
    sheet.merge_range(2, 0, 2, 3, check_formula(MICROPLAN), formats["formula_wrap"])
    sheet.set_row(2, 30)
    for column, (header, width) in enumerate(zip(CHECK_COLUMNS, (10, 16, 8, 90), strict=True)):
        sheet.write(4, column, header, formats["header"])
        sheet.set_column(column, column, width)
    for row, values in enumerate(rows, start=5):
        severity, *rest = values
        sheet.write_string(row, 0, severity, formats.get(severity, formats["top"]))
        for column, value in enumerate(rest, start=1):
            sheet.write_string(row, column, value, formats["wrap" if column == 3 else "top"])
        sheet.set_row(row, 15 * (1 + len(rest[-1]) // 95) + 2)  # the message wraps
    print_ready(sheet, header_row=4)


def _ccpm_sheet(book: Workbook, formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet("CCPM")
    sheet.write(0, 0, "=CCPM_SCORE() and =CCPM_STATUS(): a question's score and its band",
                formats["title"])
    sheet.merge_range(1, 0, 1, 11, "Five respondents' answers to each question. The score is "
                      "the mean code of the answers times 25; Don't know, Not applicable and "
                      "blanks are left out. Each formula (shown as text) sits beside the answer "
                      "the function gives.", formats["note"])
    sheet.set_row(1, 30)
    headers = ["Question", "Scale", *(f"R{k}" for k in range(1, 6)), "Formula", "Score",
               "Formula", "Status"]
    for column, header in enumerate(headers):
        sheet.write(3, column, header, formats["formula_header" if column in (7, 9)
                                              else "header"])
    for column, width in enumerate((9, 11, 14, 14, 14, 14, 14, 34, 7, 19, 14)):
        sheet.set_column(column, column, width)
    for row, (question, scale, answers) in enumerate(CCPM_EXAMPLE, start=4):
        sheet.write_string(row, 0, question)
        sheet.write_string(row, 1, scale)
        for column, answer in enumerate(answers, start=2):
            if answer is not None:
                sheet.write_string(row, column, answer)
        cells = range_ref(row + 1, 3, row + 1, 7)
        score = CCPM_SCORE(answers, scale)
        status = CCPM_STATUS(score)
        sheet.write_string(row, 7, f'=CCPM_SCORE({cells}, "{scale}")', formats["formula"])
        if score == "":
            sheet.write_blank(row, 8, None)
        else:
            sheet.write_number(row, 8, score, formats["score"])
        sheet.write_string(row, 9, f"=CCPM_STATUS(I{row + 1})", formats["formula"])
        sheet.write_string(row, 10, status, formats[status])
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
    sheet.print_area(0, 0, min(len(table), PRINTED_CLUSTERS), 1 + len(labels))
    note = _printed_note(len(table))
    if note:  # the sheet has no room above its table: the note prints at the top of the page
        sheet.set_header(f'&L&"-,Italic"{note}')
