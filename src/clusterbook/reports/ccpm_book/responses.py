"""The Response rates sheet: partners who answered per organisation type, and respondents
per function."""

from __future__ import annotations

import math

import pandas as pd
from xlsxwriter.workbook import Workbook

from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm_bank import function_label
from clusterbook.reports.ccpm_book.formats import Formats, row_height, write_headers
from clusterbook.reports.ccpm_content import ReportContent

RATES = "Response rates"


def write_rates(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Response rates sheet: per organisation type, and per function."""
    sheet = book.add_worksheet(RATES)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 9, 12)
    sheet.write_string(0, 0, "Response rates", fmt.title)
    sheet.write_string(1, 0, "Partners who answered the partner questionnaire, against the "
                             "partners of each type in the cluster description. The "
                             "coordinator is counted apart.", fmt.line)
    write_headers(sheet, 3, ("Organisation type", "Partners", "Respondents", "Response rate"), fmt)
    sheet.set_row(3, 30)  # two-line headers, whole
    rates = content.assessment.response_rates
    row = 3
    for line in rates.itertuples(index=False):
        row += 1
        total = line.organisation_type == "All partners"
        sheet.write_string(row, 0, str(line.organisation_type),
                           fmt.bold_text if total else fmt.text)
        if pd.isna(line.partners):
            sheet.write_string(row, 1, "not given", fmt.wrapped_note)
        else:
            sheet.write_number(row, 1, int(line.partners),
                               fmt.bold_count if total else fmt.count)
        sheet.write_number(row, 2, int(line.respondents), fmt.bold_count if total else fmt.count)
        if math.isnan(line.rate):
            sheet.write_blank(row, 3, None, fmt.percent)
        else:
            sheet.write_number(row, 3, line.rate / 100, fmt.bold_percent if total else fmt.percent)
    if not content.survey.description.partners:
        row += 1
        sheet.write_string(row, 0, "The cluster description gives no partners per "
                                   "organisation type, so no rates can be worked out.",
                           fmt.note)
    row += 3
    table = content.assessment.function_respondents
    sheet.write_string(row, 0, "Respondents per function", fmt.subtitle)
    row += 1
    kinds = [column for column in table.columns if column != "function"]
    write_headers(sheet, row, ("Function", *kinds), fmt)
    sheet.set_row(row, 30)
    for line in table.to_dict("records"):
        row += 1
        label = function_label(str(line["function"]))
        sheet.write_string(row, 0, label, fmt.text)
        sheet.set_row(row, row_height(label, 52))  # a long function name wraps whole
        for offset, kind in enumerate(kinds, start=1):
            sheet.write_number(row, offset, int(line[kind]),
                               fmt.bold_count if kind == "All" else fmt.count)
    print_ready(sheet)
