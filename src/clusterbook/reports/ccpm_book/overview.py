"""The Overview sheet: function scores in their bands with a chart, the bands, the next due
date (a formula on Annex I), and the sub-functions."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook.domain.ccpm import DUE_SOONER, DUE_YEARLY
from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm import ANNEX_STATUS
from clusterbook.forms.ccpm_bank import CcpmStatus, Role
from clusterbook.forms.cells import cell_ref, range_ref, sheet_ref
from clusterbook.reports.ccpm_book.formats import (
    Formats,
    date_text,
    excel_serial,
    row_height,
    score_cell,
    status_cell,
    write_headers,
)
from clusterbook.reports.ccpm_book.records import CHART_LABEL_COLUMN, CHART_SCORE_COLUMN, RESULTS
from clusterbook.reports.ccpm_content import ReportContent
from clusterbook.styles import BAND_COLOURS

OVERVIEW = "Overview"


_OVERVIEW_HEADER = 5
_OVERVIEW_WIDTHS = (7, 60, 10, 16, 12)


def write_overview(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Overview sheet: function scores and chart, bands, next due date, sub-functions."""
    sheet = book.add_worksheet(OVERVIEW)
    description = content.survey.description
    assessment = content.assessment
    for index, width in enumerate(_OVERVIEW_WIDTHS):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, f"CCPM preliminary report: {description.title}", fmt.title)
    respondents = assessment.respondents
    partners = int((respondents["respondent_role"] == Role.PARTNER).sum())
    coordinators = len(respondents) - partners
    rates = assessment.response_rates
    overall = rates[rates["organisation_type"] == "All partners"].iloc[0]
    rate_text = "" if math.isnan(overall["rate"]) else (
        f"; {overall['rate']:.0f}% of the cluster's {int(overall['partners'])} partners "
        f"answered")
    when = f" of {date_text(description.ccpm_date)}" if description.ccpm_date else ""
    sheet.write_string(1, 0, f"Survey{when}: "
                             f"{len(respondents)} respondents ({coordinators} coordinator"
                             f"{'s' if coordinators != 1 else ''}, {partners} partners)"
                             f"{rate_text}.", fmt.line)
    sheet.write_string(2, 0, "Score: the median over respondents of each respondent's mean "
                             "answer (0 to 4) on the function's questions, times 25.",
                       fmt.line)
    if content.notice:
        sheet.merge_range(3, 0, 3, len(_OVERVIEW_WIDTHS) - 1, content.notice, fmt.wrapped_note)
        sheet.set_row(3, row_height(content.notice, sum(_OVERVIEW_WIDTHS)))
    row = _OVERVIEW_HEADER
    row = _score_table(sheet, fmt, row, "Function", assessment.function_scores, bold=True)
    chart_row = row + 1
    _overview_chart(book, sheet, fmt, chart_row, assessment.function_scores)
    # The bands and the next due date beside the chart.
    legend_column = 2
    sheet.write_string(chart_row, legend_column, "Bands", fmt.subtitle)
    bands = ((CcpmStatus.GOOD, "above 75 %"), (CcpmStatus.SATISFACTORY, "above 50 up to 75 %"),
             (CcpmStatus.UNSATISFACTORY, "above 25 up to 50 %"), (CcpmStatus.WEAK, "25 % or less"),
             (CcpmStatus.NOT_ASSESSED, "no answers"))
    for offset, (status, words) in enumerate(bands, start=chart_row + 1):
        sheet.merge_range(offset, legend_column, offset, legend_column + 2,
                          f"{status}: {words}", fmt.band[status])
    _next_due_cells(sheet, fmt, content, chart_row + len(bands) + 2, legend_column)
    row = chart_row + _CHART_ROWS + 1
    subs = assessment.scores[assessment.scores["level"] == "sub-function"]
    sheet.write_string(row - 1, 0, "Sub-functions of functions 1 to 4", fmt.subtitle)
    _score_table(sheet, fmt, row, "Sub-function", subs, bold=False)
    print_ready(sheet, landscape=False)


def _score_table(sheet: Worksheet, fmt: Formats, row: int, title: str, scores: pd.DataFrame,
                 *, bold: bool) -> int:
    """A table of scores (id and name, score, status, respondents); returns its last row."""
    sheet.merge_range(row, 0, row, 1, title, fmt.header)
    write_headers(sheet, row, ("Score (%)", "Status", "Respondents"), fmt, first_column=2)
    for line in scores.itertuples(index=False):
        row += 1
        sheet.write_string(row, 0, str(line.function), fmt.bold_centre if bold else fmt.centre)
        sheet.write_string(row, 1, str(line.name), fmt.bold_text if bold else fmt.text)
        score_cell(sheet, row, 2, line.score, fmt.bold_score if bold else fmt.score)
        status_cell(sheet, row, 3, str(line.status), fmt)
        sheet.write_number(row, 4, int(line.respondents), fmt.bold_count if bold else fmt.count)
        sheet.set_row(row, row_height(str(line.name), _OVERVIEW_WIDTHS[1]))
    return row


_CHART_ROWS = 15


def _overview_chart(book: Workbook, sheet: Worksheet, fmt: Formats, row: int,
                    functions: pd.DataFrame) -> None:
    """Function scores as bars in their band colours, from the hidden results sheet."""
    chart = book.add_chart({"type": "bar"})
    count = len(functions)
    chart.add_series({
        "name": "Score (%)",
        "categories": [RESULTS, 1, CHART_LABEL_COLUMN, count, CHART_LABEL_COLUMN],
        "values": [RESULTS, 1, CHART_SCORE_COLUMN, count, CHART_SCORE_COLUMN],
        "points": [{"fill": {"color": "#" + BAND_COLOURS[str(status)].fill},
                    "border": {"color": "#7F7F7F"}} for status in functions["status"]],
        "data_labels": {"value": True, "num_format": "0.0"},
        "gap": 50,
    })
    chart.set_x_axis({"min": 0, "max": 100, "major_unit": 25, "num_format": "0",
                      "major_gridlines": {"visible": True, "line": {"color": "#BFBFBF"}}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
    chart.set_legend({"none": True})
    chart.set_title({"name": "Function scores (%)", "name_font": {"size": 11}})
    chart.set_size({"width": 470, "height": _CHART_ROWS * 20 - 8})
    sheet.insert_chart(row, 0, chart, {"x_offset": 2, "y_offset": 2})


def _final_status_range() -> str:
    column = ANNEX_STATUS.column_index("final_status")
    return sheet_ref(ANNEX_STATUS.sheet, range_ref(
        ANNEX_STATUS.first_data_row, column, ANNEX_STATUS.last_data_row, column, absolute=True))


def _next_due_cells(sheet: Worksheet, fmt: Formats, content: ReportContent, row: int,
                    column: int) -> None:
    """The next due date: a formula on Annex I's final statuses, so an amendment moves it."""
    description = content.survey.description
    sheet.write_string(row, column, "Next CCPM due", fmt.subtitle)
    due = content.next_due
    if description.ccpm_date is None or due is None:
        sheet.merge_range(row + 1, column, row + 3, column + 2,
                          "Give the date of this CCPM in the cluster description to see when "
                          "the next one is due.", fmt.wrapped_note)
        return
    statuses = _final_status_range()
    weak = (f'COUNTIF({statuses},"{CcpmStatus.WEAK}")'
            f'+COUNTIF({statuses},"{CcpmStatus.UNSATISFACTORY}")>0')
    sheet.write_string(row + 1, column, "This CCPM", fmt.line)
    sheet.write_datetime(row + 1, column + 1, dt.datetime.combine(description.ccpm_date,
                                                                  dt.time()), fmt.date_left)
    sheet.write_string(row + 2, column, "Next due", fmt.bold)
    sheet.merge_range(row + 2, column + 1, row + 2, column + 2, "", fmt.big_date)
    this_ccpm = cell_ref(row + 2, column + 2)
    sheet.write_formula(row + 2, column + 1,
                        f"=IF({weak},EDATE({this_ccpm},6),EDATE({this_ccpm},12))",
                        fmt.big_date, excel_serial(due.due))
    sheet.merge_range(row + 3, column, row + 4, column + 2, "", fmt.wrapped_note)
    sheet.write_formula(row + 3, column, f'=IF({weak},"{DUE_SOONER}","{DUE_YEARLY}")',
                        fmt.wrapped_note, due.reason)
