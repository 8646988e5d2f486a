"""Findings and About, and the hidden sheets the book keeps for reading it back: the
results (with the overview chart's data) and the form sheet with the dropdown lists."""

from __future__ import annotations

from typing import Any

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook import __version__
from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm import CCPM_REPORT, FACT_ROWS, RESULT_COLUMNS, RESULTS_SHEET
from clusterbook.forms.ccpm_bank import FUNCTION_LABELS, FUNCTION_SHORT_NAMES
from clusterbook.forms.cells import range_ref, sheet_ref
from clusterbook.forms.schema import FORM_ID_ROW, FORM_SHEET, FORM_VERSION_ROW
from clusterbook.reports.ccpm_book.formats import Formats, date_text, row_height, write_headers
from clusterbook.reports.ccpm_content import ReportContent

FINDINGS = "Findings"
ABOUT = "About"
RESULTS = RESULTS_SHEET
#: Where the chart's labels and scores sit on the hidden results sheet.
CHART_LABEL_COLUMN, CHART_SCORE_COLUMN = 7, 8


def function_list_ref() -> str:
    """Where the function labels of the Annex I dropdown sit (the hidden form sheet)."""
    return sheet_ref(FORM_SHEET, range_ref(1, 4, len(FUNCTION_LABELS), 4, absolute=True))


def write_findings(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Findings sheet: every problem in the survey data, with its place."""
    sheet = book.add_worksheet(FINDINGS)
    widths = (10, 80, 22, 16, 8, 18)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Problems found in the survey data", fmt.title)
    sheet.write_string(1, 0, "Answers with an error were left out of the scores (never "
                             "counted as zero). Fix them in the files and make the report "
                             "again.", fmt.note)
    write_headers(sheet, 3, ("Severity", "What", "File", "Sheet", "Cell", "Value"), fmt)
    ordered = sorted(content.findings, key=lambda item: str(item.severity))
    for row, finding in enumerate(ordered, start=4):
        sheet.write_string(row, 0, str(finding.severity), fmt.text)
        sheet.write_string(row, 1, finding.message, fmt.text)
        sheet.write_string(row, 2, finding.file, fmt.text)
        sheet.write_string(row, 3, finding.sheet, fmt.text)
        sheet.write_string(row, 4, finding.cell, fmt.text)
        sheet.write_string(row, 5, finding.value, fmt.text)
        sheet.set_row(row, row_height(finding.message, widths[1]))
    sheet.autofilter(3, 0, 3 + len(ordered), 5)
    print_ready(sheet, header_row=3)


def write_about(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The About sheet: the cluster, the sources and how the scores are made."""
    sheet = book.add_worksheet(ABOUT)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 90)
    sheet.write_string(0, 0, "About this report", fmt.title)
    description = content.survey.description
    bank = content.assessment.bank
    rows: list[tuple[str, str]] = [
        ("Cluster", description.title),
        ("Date of this CCPM", date_text(description.ccpm_date)),
        ("Type of crisis", description.crisis),
        ("Coordinator", description.coordinator),
        ("Lead agency", description.lead_agency),
        ("Responses", ", ".join(content.survey.sources)),
        ("Question bank", f"{sum(q.scored for q in bank.questions)} scored questions, "
                          f"{sum(not q.scored for q in bank.questions)} comment questions"),
        ("Scores", "A function's (or sub-function's) score is the median, over the "
                   "respondents who answered any of its questions, of each respondent's mean "
                   "code (0 to 4) on those questions, times 25. The coordinator counts as one "
                   "respondent. Don't know, Not applicable and blanks carry no score."),
        ("Question scores", "The mean code of the question's answers times 25; 100 % means "
                            "every respondent gave the best answer."),
        ("Bands", "Good above 75 %; Satisfactory above 50 % up to 75 %; Unsatisfactory above "
                  "25 % up to 50 %; Weak 25 % or less; Not assessed with no answers."),
        ("Made by", f"ClusterBook {__version__} on {content.made_on:%d/%m/%Y}"),
    ]
    if content.notice:
        rows.insert(0, ("Note", content.notice))
    for row, (label, value) in enumerate(rows, start=2):
        sheet.write_string(row, 0, label, fmt.bold_text)
        sheet.write_string(row, 1, value, fmt.text)
        sheet.set_row(row, row_height(value, 90))
    print_ready(sheet)


def write_results(book: Workbook, content: ReportContent) -> None:
    """The scores as plain rows for the overview, and the chart's data (columns H and I)."""
    sheet = book.add_worksheet(RESULTS)
    sheet.hide()
    for column, header in enumerate(RESULT_COLUMNS):
        sheet.write_string(0, column, header)
    assessment = content.assessment
    row = 0
    for line in assessment.scores.itertuples(index=False):
        row += 1
        _result_row(sheet, row, str(line.level), str(line.function), str(line.name),
                    line.score, str(line.status), int(line.respondents))
    for line in assessment.questions.itertuples(index=False):
        row += 1
        _result_row(sheet, row, "question", str(line.question_id), str(line.text), line.score,
                    str(line.status), int(line.answered))
    sheet.write_string(0, CHART_LABEL_COLUMN, "chart label")
    sheet.write_string(0, CHART_SCORE_COLUMN, "chart score")
    for offset, line in enumerate(assessment.function_scores.itertuples(index=False), start=1):
        sheet.write_string(offset, CHART_LABEL_COLUMN,
                           f"{line.function} {FUNCTION_SHORT_NAMES[line.function]}")
        if not pd.isna(line.score):
            sheet.write_number(offset, CHART_SCORE_COLUMN, float(line.score))


def _result_row(sheet: Worksheet, row: int, level: str, ident: str, name: str, score: Any,
                status: str, respondents: int) -> None:
    sheet.write_string(row, 0, level)
    sheet.write_string(row, 1, ident)
    sheet.write_string(row, 2, name)
    if not pd.isna(score):
        sheet.write_number(row, 3, float(score))
    sheet.write_string(row, 4, status)
    sheet.write_number(row, 5, respondents)


def write_form_sheet(book: Workbook, content: ReportContent) -> None:
    """The hidden sheet naming the form and version, a few facts, and the dropdown lists."""
    sheet = book.add_worksheet(FORM_SHEET)
    sheet.hide()
    sheet.write_string(FORM_ID_ROW - 1, 0, "form")
    sheet.write_string(FORM_ID_ROW - 1, 1, CCPM_REPORT.form_id)
    sheet.write_string(FORM_VERSION_ROW - 1, 0, "version")
    sheet.write_string(FORM_VERSION_ROW - 1, 1, CCPM_REPORT.version)
    description = content.survey.description
    facts = {"cluster": description.cluster or description.title, "country": description.country,
             "ccpm_date": description.ccpm_date.isoformat() if description.ccpm_date else "",
             "crisis": description.crisis}
    for offset, key in enumerate(FACT_ROWS, start=FORM_VERSION_ROW):
        sheet.write_string(offset, 0, key)
        sheet.write_string(offset, 1, facts[key])
    for offset, label in enumerate(FUNCTION_LABELS):
        sheet.write_string(offset, 3, label)
