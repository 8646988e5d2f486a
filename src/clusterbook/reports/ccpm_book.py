"""The CCPM report book: the preliminary report, and the sheets the cluster fills at and after
the workshop.

Sheets: Overview (function scores with their bands and a chart, sub-functions, the next due
date), one sheet per function (sub-functions, each question's score and answers, the
comments), Good practice (100 %) and constraints (75 % or less), Response rates, Workshop
groups, Annex I (status per function with amendment columns, priority actions), Follow-up
(month by month), Quarterly report (for the HC/HCT), Findings (when the data had problems),
About. A hidden results sheet keeps the scores for the inter-cluster overview.

Annex I, Follow-up, the quarterly report and the next due date are live Excel formulas: they
work in Excel without ClusterBook and give the same answers as ``clusterbook ccpm check``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook import __version__
from clusterbook.domain.ccpm import (
    CONSTRAINT_AT_MOST,
    DUE_SOONER,
    DUE_YEARLY,
    MAX_ACTIONS,
    NOT_STATED,
    add_months,
    group_plan,
)
from clusterbook.excel.cells import cell_ref, column_letter, range_ref, sheet_ref
from clusterbook.excel.write import DATE_FORMAT, BookFormats, new_workbook, print_ready
from clusterbook.forms.ccpm import (
    AMENDABLE_STATUSES,
    ANNEX_ACTIONS,
    ANNEX_STATUS,
    CCPM_REPORT,
    FACT_ROWS,
    FOLLOW_UP,
    MONTHS,
    QUARTERS,
    RESULT_COLUMNS,
    RESULTS_SHEET,
)
from clusterbook.forms.ccpm_bank import (
    ACTION_PROGRESS,
    FUNCTION_LABELS,
    FUNCTION_SHORT_NAMES,
    FUNCTIONS,
    NOT_ASSESSED,
    ORGANISATION_TYPES,
    STATUSES,
    UNSATISFACTORY,
    WEAK,
    function_label,
)
from clusterbook.forms.schema import FORM_ID_ROW, FORM_SHEET, FORM_VERSION_ROW, TableSection
from clusterbook.jobs.ccpm import ReportContent
from clusterbook.styles import BAND_COLOURS, INPUT_CELL

OVERVIEW = "Overview"
PRACTICE = "Good practice"
RATES = "Response rates"
WORKSHOP = "Workshop groups"
QUARTERLY = "Quarterly report"
FINDINGS = "Findings"
ABOUT = "About"
RESULTS = RESULTS_SHEET
_DATE_FORMAT = DATE_FORMAT
_LINE_HEIGHT = 15.0


def function_sheet(function: str) -> str:
    """The name of a function's sheet: '3 Planning and strategy'."""
    return f"{function} {FUNCTION_SHORT_NAMES[function]}"


class _Formats(BookFormats):
    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        add = book.add_format
        self.line = add({"font_color": "404040"})
        self.text = add({"text_wrap": True, "valign": "top", "border": 1,
                         "border_color": "D9D9D9"})
        self.bold_text = add({"bold": True, "text_wrap": True, "valign": "top", "border": 1,
                              "border_color": "D9D9D9"})
        self.indent = add({"indent": 1, "text_wrap": True, "valign": "top", "border": 1,
                           "border_color": "D9D9D9"})
        self.centre = add({"align": "center", "valign": "top", "border": 1,
                           "border_color": "D9D9D9"})
        self.bold_centre = add({"bold": True, "align": "center", "valign": "top", "border": 1,
                                "border_color": "D9D9D9"})
        self.score = add({"num_format": "0.0", "valign": "top", "border": 1,
                          "border_color": "D9D9D9"})
        self.bold_score = add({"num_format": "0.0", "bold": True, "valign": "top",
                               "border": 1, "border_color": "D9D9D9"})
        self.count = add({"num_format": "#,##0", "valign": "top", "border": 1,
                          "border_color": "D9D9D9"})
        # A count with text to its right: centred, so the two never touch.
        self.centre_count = add({"num_format": "#,##0", "valign": "top", "border": 1,
                                 "border_color": "D9D9D9", "align": "center"})
        self.bold_count = add({"num_format": "#,##0", "bold": True, "valign": "top",
                               "border": 1, "border_color": "D9D9D9"})
        self.percent = add({"num_format": "0%", "valign": "top", "border": 1,
                            "border_color": "D9D9D9"})
        self.bold_percent = add({"num_format": "0%", "bold": True, "valign": "top",
                                 "border": 1, "border_color": "D9D9D9"})
        self.date = add({"num_format": _DATE_FORMAT, "valign": "top", "border": 1,
                         "border_color": "D9D9D9", "align": "left"})
        self.computed = add({"bg_color": "F2F2F2", "text_wrap": True, "valign": "top",
                             "border": 1, "border_color": "D9D9D9"})
        self.computed_date = add({"bg_color": "F2F2F2", "num_format": _DATE_FORMAT,
                                  "valign": "top", "border": 1, "border_color": "D9D9D9",
                                  "align": "left"})
        # Centred: apart from the status written left-aligned beside it.
        self.computed_score = add({"bg_color": "F2F2F2", "num_format": "0.0",
                                   "valign": "top", "border": 1, "border_color": "D9D9D9",
                                   "align": "center"})
        self.input = add({"bg_color": INPUT_CELL.fill, "text_wrap": True, "valign": "top",
                          "border": 1, "border_color": "BFBFBF", "locked": False})
        self.input_date = add({"bg_color": INPUT_CELL.fill, "num_format": _DATE_FORMAT,
                               "valign": "top", "border": 1, "border_color": "BFBFBF",
                               "locked": False, "align": "left"})
        self.input_centre = add({"bg_color": INPUT_CELL.fill, "align": "center",
                                 "valign": "top", "border": 1, "border_color": "BFBFBF",
                                 "locked": False, "font_size": 9})
        self.big_date = add({"bold": True, "font_size": 12, "num_format": DATE_FORMAT,
                             "align": "left"})
        self.date_left = add({"num_format": DATE_FORMAT, "align": "left"})
        self.bold = add({"bold": True})
        self.warning = add({"font_color": "9C0006", "bold": True})
        self.ok = add({"font_color": "006100"})
        self.band: dict[str, Format] = {}
        self.band_fill: dict[str, Format] = {}
        for status, colour in BAND_COLOURS.items():
            self.band[status] = add({"bg_color": colour.fill, "font_color": colour.text,
                                     "bold": True, "align": "center", "valign": "top",
                                     "border": 1, "border_color": "FFFFFF"})
            # Conditional formats take only font, fill and border.
            self.band_fill[status] = add({"bg_color": colour.fill, "font_color": colour.text,
                                          "bold": True})


def _status_cell(sheet: Worksheet, row: int, column: int, status: str, fmt: _Formats) -> None:
    sheet.write_string(row, column, status, fmt.band.get(status, fmt.centre))


def _score_cell(sheet: Worksheet, row: int, column: int, score: float, cell_format: Format
                ) -> None:
    if score is None or (isinstance(score, float) and math.isnan(score)):
        sheet.write_blank(row, column, None, cell_format)
    else:
        sheet.write_number(row, column, float(score), cell_format)


def _band_conditional(sheet: Worksheet, first_row: int, column: int, last_row: int,
                      fmt: _Formats) -> None:
    for status in STATUSES:
        sheet.conditional_format(first_row, column, last_row, column, {
            "type": "cell", "criteria": "==", "value": f'"{status}"',
            "format": fmt.band_fill[status]})


def _height(text: str, width: float) -> float:
    """A row height that shows wrapped text in a column ``width`` characters wide."""
    per_line = max(int(width * 1.05), 1)
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
    return max(1, lines) * _LINE_HEIGHT


def _headers(sheet: Worksheet, row: int, headers: Sequence[str], fmt: _Formats,
             first_column: int = 0) -> None:
    for offset, text in enumerate(headers):
        sheet.write_string(row, first_column + offset, text, fmt.header)


def _date_text(day: dt.date | None) -> str:
    """A date in a sentence, in the books' one date style."""
    return day.strftime("%d/%m/%Y") if day else "no date given"


# ------------------------------------------------------------------------------- the book

def write_report_book(content: ReportContent, path: Path | str) -> Path:
    """Write the CCPM report book atomically and return its path."""
    path = Path(path)
    with new_workbook(path) as book:
        book.set_properties({"title": f"CCPM report: {content.survey.description.title}",
                             "comments": f"Made by ClusterBook {__version__}"})
        fmt = _Formats(book)
        _overview_sheet(book, fmt, content)
        for function in FUNCTIONS:
            _function_sheet(book, fmt, content, function)
        _practice_sheet(book, fmt, content)
        _rates_sheet(book, fmt, content)
        _workshop_sheet(book, fmt, content)
        _annex_sheet(book, fmt, content)
        _actions_sheet(book, fmt, content)
        _follow_up_sheet(book, fmt, content)
        _quarterly_sheet(book, fmt, content)
        if content.findings:
            _findings_sheet(book, fmt, content)
        _about_sheet(book, fmt, content)
        _results_sheet(book, content)
        _form_sheet(book, content)
        book.worksheets()[0].activate()
    return path


# --------------------------------------------------------------------------------- overview

_OVERVIEW_HEADER = 5
_OVERVIEW_WIDTHS = (7, 60, 10, 16, 12)


def _overview_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(OVERVIEW)
    description = content.survey.description
    assessment = content.assessment
    for index, width in enumerate(_OVERVIEW_WIDTHS):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, f"CCPM preliminary report: {description.title}", fmt.title)
    respondents = assessment.respondents
    partners = int((respondents["respondent_role"] == "Partner").sum())
    coordinators = len(respondents) - partners
    rates = assessment.response_rates
    overall = rates[rates["organisation_type"] == "All partners"].iloc[0]
    rate_text = "" if math.isnan(overall["rate"]) else (
        f"; {overall['rate']:.0f}% of the cluster's {int(overall['partners'])} partners "
        f"answered")
    when = f" of {_date_text(description.ccpm_date)}" if description.ccpm_date else ""
    sheet.write_string(1, 0, f"Survey{when}: "
                             f"{len(respondents)} respondents ({coordinators} coordinator"
                             f"{'s' if coordinators != 1 else ''}, {partners} partners)"
                             f"{rate_text}.", fmt.line)
    sheet.write_string(2, 0, "Score: the median over respondents of each respondent's mean "
                             "answer (0 to 4) on the function's questions, times 25.",
                       fmt.line)
    if content.notice:
        sheet.merge_range(3, 0, 3, len(_OVERVIEW_WIDTHS) - 1, content.notice, fmt.wrapped_note)
        sheet.set_row(3, _height(content.notice, sum(_OVERVIEW_WIDTHS)))
    row = _OVERVIEW_HEADER
    row = _score_table(sheet, fmt, row, "Function", assessment.function_scores, bold=True)
    chart_row = row + 1
    _overview_chart(book, sheet, fmt, chart_row, assessment.function_scores)
    # The bands and the next due date beside the chart.
    legend_column = 2
    sheet.write_string(chart_row, legend_column, "Bands", fmt.subtitle)
    bands = (("Good", "above 75 %"), ("Satisfactory", "above 50 up to 75 %"),
             ("Unsatisfactory", "above 25 up to 50 %"), ("Weak", "25 % or less"),
             (NOT_ASSESSED, "no answers"))
    for offset, (status, words) in enumerate(bands, start=chart_row + 1):
        sheet.merge_range(offset, legend_column, offset, legend_column + 2,
                          f"{status}: {words}", fmt.band[status])
    _next_due_cells(sheet, fmt, content, chart_row + len(bands) + 2, legend_column)
    row = chart_row + _CHART_ROWS + 1
    subs = assessment.scores[assessment.scores["level"] == "sub-function"]
    sheet.write_string(row - 1, 0, "Sub-functions of functions 1 to 4", fmt.subtitle)
    _score_table(sheet, fmt, row, "Sub-function", subs, bold=False)
    print_ready(sheet, landscape=False)


def _score_table(sheet: Worksheet, fmt: _Formats, row: int, title: str, scores: pd.DataFrame,
                 *, bold: bool) -> int:
    """A table of scores (id and name, score, status, respondents); returns its last row."""
    sheet.merge_range(row, 0, row, 1, title, fmt.header)
    _headers(sheet, row, ("Score (%)", "Status", "Respondents"), fmt, first_column=2)
    for line in scores.itertuples(index=False):
        row += 1
        sheet.write_string(row, 0, str(line.function), fmt.bold_centre if bold else fmt.centre)
        sheet.write_string(row, 1, str(line.name), fmt.bold_text if bold else fmt.text)
        _score_cell(sheet, row, 2, line.score, fmt.bold_score if bold else fmt.score)
        _status_cell(sheet, row, 3, str(line.status), fmt)
        sheet.write_number(row, 4, int(line.respondents), fmt.bold_count if bold else fmt.count)
        sheet.set_row(row, _height(str(line.name), _OVERVIEW_WIDTHS[1]))
    return row


_CHART_ROWS = 15
#: Where the chart's labels and scores sit on the hidden results sheet.
_CHART_LABEL_COLUMN, _CHART_SCORE_COLUMN = 7, 8


def _overview_chart(book: Workbook, sheet: Worksheet, fmt: _Formats, row: int,
                    functions: pd.DataFrame) -> None:
    """Function scores as bars in their band colours, from the hidden results sheet."""
    chart = book.add_chart({"type": "bar"})
    count = len(functions)
    chart.add_series({
        "name": "Score (%)",
        "categories": [RESULTS, 1, _CHART_LABEL_COLUMN, count, _CHART_LABEL_COLUMN],
        "values": [RESULTS, 1, _CHART_SCORE_COLUMN, count, _CHART_SCORE_COLUMN],
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


def _next_due_cells(sheet: Worksheet, fmt: _Formats, content: ReportContent, row: int,
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
    weak = f'COUNTIF({statuses},"{WEAK}")+COUNTIF({statuses},"{UNSATISFACTORY}")>0'
    sheet.write_string(row + 1, column, "This CCPM", fmt.line)
    sheet.write_datetime(row + 1, column + 1, dt.datetime.combine(description.ccpm_date,
                                                                  dt.time()), fmt.date_left)
    sheet.write_string(row + 2, column, "Next due", fmt.bold)
    sheet.merge_range(row + 2, column + 1, row + 2, column + 2, "", fmt.big_date)
    this_ccpm = cell_ref(row + 2, column + 2)
    sheet.write_formula(row + 2, column + 1,
                        f"=IF({weak},EDATE({this_ccpm},6),EDATE({this_ccpm},12))",
                        fmt.big_date, _excel_serial(due.due))
    sheet.merge_range(row + 3, column, row + 4, column + 2, "", fmt.wrapped_note)
    sheet.write_formula(row + 3, column, f'=IF({weak},"{DUE_SOONER}","{DUE_YEARLY}")',
                        fmt.wrapped_note, due.reason)


def _excel_serial(day: dt.date) -> float:
    return float((day - dt.date(1899, 12, 30)).days)


# ------------------------------------------------------------------------- function sheets

_QUESTION_WIDTHS = (7, 56, 11, 9, 15, 12, 40)


def _function_sheet(book: Workbook, fmt: _Formats, content: ReportContent, function: str
                    ) -> None:
    assessment = content.assessment
    sheet = book.add_worksheet(function_sheet(function))
    for index, width in enumerate(_QUESTION_WIDTHS):
        sheet.set_column(index, index, width)
    scores = assessment.scores.set_index("function")
    line = scores.loc[function]
    last = len(_QUESTION_WIDTHS) - 1
    sheet.write_string(0, 0, function_label(function), fmt.title)
    sheet.merge_range(1, 0, 1, 2, f"Score of the function ({int(line['respondents'])} "
                                  f"respondents)", fmt.bold_text)
    _score_cell(sheet, 1, 3, line["score"], fmt.bold_score)
    _status_cell(sheet, 1, 4, str(line["status"]), fmt)
    respondents = _respondent_line(content, function)
    sheet.merge_range(2, 0, 2, last, respondents, fmt.wrapped_note)
    sheet.set_row(2, _height(respondents, sum(_QUESTION_WIDTHS)))
    row = 4
    subs = assessment.scores[(assessment.scores["level"] == "sub-function")
                             & (assessment.scores["function"].str.split(".").str[0] == function)]
    if len(subs):
        sheet.merge_range(row, 0, row, 2, "Sub-function", fmt.header)
        _headers(sheet, row, ("Score (%)", "Status", "Respondents"), fmt, first_column=3)
        sheet.set_row(row, 30)
        for sub in subs.itertuples(index=False):
            row += 1
            sheet.write_string(row, 0, str(sub.function), fmt.centre)
            sheet.merge_range(row, 1, row, 2, str(sub.name), fmt.text)
            _score_cell(sheet, row, 3, sub.score, fmt.score)
            _status_cell(sheet, row, 4, str(sub.status), fmt)
            sheet.write_number(row, 5, int(sub.respondents), fmt.count)
            sheet.set_row(row, _height(str(sub.name), _QUESTION_WIDTHS[1] + _QUESTION_WIDTHS[2]))
        row += 2
    questions = assessment.questions[assessment.questions["function"] == function]
    sheet.write_string(row, 0, "Questions", fmt.subtitle)
    row += 1
    header_row = row
    _headers(sheet, row, ("Id", "Question", "Asked of", "Score (%)", "Status", "Answered",
                          "Answers"), fmt)
    for question in questions.itertuples(index=False):
        row += 1
        sheet.write_string(row, 0, str(question.question_id), fmt.centre)
        sheet.write_string(row, 1, str(question.text), fmt.text)
        sheet.write_string(row, 2, str(question.asked_of), fmt.text)
        _score_cell(sheet, row, 3, question.score, fmt.score)
        _status_cell(sheet, row, 4, str(question.status), fmt)
        sheet.write_number(row, 5, int(question.answered), fmt.centre_count)
        sheet.write_string(row, 6, str(question.distribution) or "no answers", fmt.text)
        sheet.set_row(row, max(_height(str(question.text), _QUESTION_WIDTHS[1]),
                               _height(str(question.distribution), _QUESTION_WIDTHS[6])))
    row += 2
    comments = assessment.comments[assessment.comments["function"] == function]
    sheet.write_string(row, 0, f"Comments ({len(comments)})", fmt.subtitle)
    if comments.empty:
        sheet.write_string(row + 1, 0, "No comments were given on this function.",
                           fmt.note)
    for number, comment in enumerate(comments.itertuples(index=False), start=1):
        row += 1
        sheet.write_number(row, 0, number, fmt.centre)
        width = sum(_QUESTION_WIDTHS[1:6])
        sheet.merge_range(row, 1, row, 5, "", fmt.text)
        sheet.write_string(row, 1, str(comment.comment), fmt.text)
        source = str(comment.respondent_role)
        if comment.organisation_type != NOT_STATED and comment.respondent_role != "Coordinator":
            source += f" ({comment.organisation_type})"
        sheet.write_string(row, 6, source, fmt.text)
        sheet.set_row(row, _height(str(comment.comment), width))
    print_ready(sheet, header_row=header_row)


def _respondent_line(content: ReportContent, function: str) -> str:
    table = content.assessment.function_respondents.set_index("function")
    partners = content.survey.description.partners
    parts = []
    for kind in (*ORGANISATION_TYPES, NOT_STATED):
        if kind not in table.columns:
            continue
        answered = int(table.at[function, kind])
        total = partners.get(kind)
        if total:
            parts.append(f"{kind} {answered} of {total} ({100 * answered / total:.0f}%)")
        elif answered:
            parts.append(f"{kind} {answered}")
    coordinator = int(table.at[function, "Coordinator"])
    text = "Partner respondents: " + (", ".join(parts) if parts else "none")
    return text + f". Coordinator: {coordinator}."


# ----------------------------------------------------------- good practice and constraints

def _practice_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(PRACTICE)
    widths = (7, 9, 70, 9, 15, 10)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Good practice and constraints", fmt.title)
    sheet.write_string(1, 0, "Good practice: questions where every respondent gave the best "
                             f"answer (100 %). Constraints: questions at {CONSTRAINT_AT_MOST} % "
                             "or less, lowest first. They open the workshop's discussion.",
                       fmt.line)
    row = 3
    for title, table, empty in (
            ("Good practice (100 %)", content.assessment.good_practice,
             "No question scored 100 %."),
            (f"Constraints ({CONSTRAINT_AT_MOST} % or less)", content.assessment.constraints,
             "No question scored 75 % or less.")):
        sheet.write_string(row, 0, f"{title}: {len(table)} question"
                                   f"{'s' if len(table) != 1 else ''}", fmt.subtitle)
        row += 1
        _headers(sheet, row, ("Id", "Function", "Question", "Score (%)", "Status", "Answered"),
                 fmt)
        if table.empty:
            row += 1
            sheet.write_string(row, 0, empty, fmt.note)
        for question in table.itertuples(index=False):
            row += 1
            sheet.write_string(row, 0, str(question.question_id), fmt.centre)
            sheet.write_string(row, 1, str(question.function), fmt.centre)
            sheet.write_string(row, 2, str(question.text), fmt.text)
            _score_cell(sheet, row, 3, question.score, fmt.score)
            _status_cell(sheet, row, 4, str(question.status), fmt)
            sheet.write_number(row, 5, int(question.answered), fmt.count)
            sheet.set_row(row, _height(str(question.text), widths[2]))
        row += 3
    print_ready(sheet, landscape=False)


# ---------------------------------------------------------------------------- response rates

def _rates_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(RATES)
    sheet.set_column(0, 0, 52)
    sheet.set_column(1, 9, 12)
    sheet.write_string(0, 0, "Response rates", fmt.title)
    sheet.write_string(1, 0, "Partners who answered the partner questionnaire, against the "
                             "partners of each type in the cluster description. The "
                             "coordinator is counted apart.", fmt.line)
    _headers(sheet, 3, ("Organisation type", "Partners", "Respondents", "Response rate"), fmt)
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
    _headers(sheet, row, ("Function", *kinds), fmt)
    sheet.set_row(row, 30)
    for line in table.to_dict("records"):
        row += 1
        label = function_label(str(line["function"]))
        sheet.write_string(row, 0, label, fmt.text)
        sheet.set_row(row, _height(label, 52))  # a long function name wraps whole
        for offset, kind in enumerate(kinds, start=1):
            sheet.write_number(row, offset, int(line[kind]),
                               fmt.bold_count if kind == "All" else fmt.count)
    print_ready(sheet)


# --------------------------------------------------------------------------------- workshop

def _workshop_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(WORKSHOP)
    widths = (8, 38, 28, 30, 20)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Workshop working groups", fmt.title)
    sheet.set_row(1, 32)
    sheet.merge_range(1, 0, 1, 4, "", fmt.wrapped_note)
    sheet.write_string(1, 0, "At most 6 groups of 5 to 6 people, one function each; with "
                             "fewer than 30 participants functions 4 and 5, and 6 and 7, "
                             "are taken together. Each group reviews its function's scores, "
                             "good practice and constraints, and drafts Annex I.", fmt.wrapped_note)
    row = 3
    groups = content.groups
    if groups is None or groups.empty:
        sheet.write_string(row, 0, "No participant list was given (add one in the CCPM "
                                   "workbook's Participants sheet, or with --participants). "
                                   "The groups by number of participants:", fmt.note)
        row += 2
        for title, plan in (("Fewer than 30 participants", group_plan(0)),
                            ("30 participants or more", group_plan(30))):
            sheet.write_string(row, 0, title, fmt.subtitle)
            row += 1
            _headers(sheet, row, ("Group", "Functions"), fmt)
            for number, functions in enumerate(plan, start=1):
                row += 1
                sheet.write_number(row, 0, number, fmt.centre)
                sheet.write_string(row, 1, _functions_text(functions), fmt.text)
                sheet.set_row(row, _height(_functions_text(functions), widths[1]))
            row += 2
        print_ready(sheet)
        return
    for note in content.group_notes:
        sheet.write_string(row, 0, note, fmt.warning)
        row += 1
    row += 1
    header_row = row
    _headers(sheet, row, ("Group", "Functions", "Name", "Organisation", "Organisation type"),
             fmt)
    previous = None
    for person in groups.itertuples(index=False):
        row += 1
        first = person.group != previous
        previous = person.group
        functions = tuple(str(person.functions).split(" and "))
        sheet.write_number(row, 0, int(person.group), fmt.bold_centre if first else fmt.centre)
        sheet.write_string(row, 1, _functions_text(functions) if first else "", fmt.text)
        sheet.write_string(row, 2, str(person.name), fmt.text)
        sheet.write_string(row, 3, str(person.organisation), fmt.text)
        sheet.write_string(row, 4, str(person.organisation_type), fmt.text)
        if first:
            sheet.set_row(row, _height(_functions_text(functions), widths[1]))
    print_ready(sheet, header_row=header_row)


def _functions_text(functions: Sequence[str]) -> str:
    return "\n".join(function_label(function) for function in functions)


# ---------------------------------------------------------------------------------- Annex I

def _cell(section: TableSection, key: str, row: int, *, absolute: bool = False) -> str:
    """The A1 cell of a field in a sheet row (1-based) of a section."""
    return cell_ref(row, section.column_index(key), absolute=absolute)


def _column_range(section: TableSection, key: str, *, sheet: bool = False) -> str:
    column = section.column_index(key)
    ref = range_ref(section.first_data_row, column, section.last_data_row, column,
                    absolute=True)
    return sheet_ref(section.sheet, ref) if sheet else ref


def _annex_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(ANNEX_STATUS.sheet)
    for index, item in enumerate(ANNEX_STATUS.fields):
        sheet.set_column(index, index, item.width)
    sheet.write_string(0, 0, f"Annex I: status of each function, "
                             f"{content.survey.description.title}", fmt.title)
    sheet.merge_range(1, 0, 2, 7, "", fmt.wrapped_note)
    sheet.write_string(1, 0, "Fill the yellow cells at the workshop. Amend a status only by "
                             "consensus, with the reason and the consensus note; the computed "
                             "status stays as it was. Every Unsatisfactory or Weak function "
                             f"needs at least one action (sheet '{ANNEX_ACTIONS.sheet}'), and "
                             f"no function more than {MAX_ACTIONS}. The Check column says what "
                             "is missing.", fmt.wrapped_note)
    status = ANNEX_STATUS
    sheet.write_string(status.title_row - 1, 0, status.title, fmt.subtitle)
    _headers(sheet, status.header_row - 1, [item.label for item in status.fields], fmt)
    sheet.set_row(status.header_row - 1, 30)
    functions = content.assessment.function_scores.set_index("function")
    actions_function = _column_range(ANNEX_ACTIONS, "function", sheet=True)
    actions_text = _column_range(ANNEX_ACTIONS, "action", sheet=True)
    inputs = ("amended_status", "reason", "consensus", "works_well", "constraints")
    actions = _actions_per_function(content)
    for offset, function in enumerate(FUNCTIONS):
        row = status.first_data_row + offset  # 1-based sheet row
        index = row - 1
        line = functions.loc[function]
        sheet.write_string(index, status.column_index("function") - 1,
                           function_label(function), fmt.bold_text)
        _score_cell(sheet, index, status.column_index("score") - 1, line["score"],
                    fmt.computed_score)
        sheet.write_string(index, status.column_index("computed_status") - 1,
                           str(line["status"]), fmt.computed)
        for key in inputs:
            _input_cell(sheet, index, status.column_index(key) - 1,
                        _entry(content, status.key, offset, key), fmt.input)
        computed = _cell(status, "computed_status", row)
        amended = _cell(status, "amended_status", row)
        final = _cell(status, "final_status", row)
        label = _cell(status, "function", row)
        amended_status = _text(_entry(content, status.key, offset, "amended_status"))
        final_status = amended_status or str(line["status"])
        sheet.write_formula(index, status.column_index("final_status") - 1,
                            f'=IF({amended}<>"",{amended},{computed})', fmt.computed,
                            final_status)
        count = f'COUNTIFS({actions_function},{label},{actions_text},"<>")'
        reason = _cell(status, "reason", row)
        consensus = _cell(status, "consensus", row)
        check = (f'=IF(AND(OR({final}="{WEAK}",{final}="{UNSATISFACTORY}"),{count}=0),'
                 f'"Add at least one action",IF({count}>{MAX_ACTIONS},'
                 f'"More than {MAX_ACTIONS} actions",IF(AND({amended}<>"",{reason}=""),'
                 f'"Give the reason for the amendment",IF(AND({amended}<>"",{consensus}=""),'
                 f'"Add the consensus note","OK"))))')
        expected = _check_text(final_status, actions.get(function_label(function).casefold(),
                                                         0),
                               amended_status, _text(_entry(content, status.key, offset,
                                                            "reason")),
                               _text(_entry(content, status.key, offset, "consensus")))
        sheet.write_formula(index, status.column_index("check") - 1, check, fmt.computed,
                            expected)
        typed = [(str(_entry(content, status.key, offset, key) or ""),
                  status.fields[status.column_index(key) - 1].width) for key in inputs]
        sheet.set_row(index, max(_height(function_label(function), status.fields[0].width),
                                 2 * _LINE_HEIGHT,
                                 *(_height(text, width) for text, width in typed if text)))
    first, last = status.first_data_row - 1, status.last_data_row - 1
    for key in ("computed_status", "final_status"):
        _band_conditional(sheet, first, status.column_index(key) - 1, last, fmt)
    check_column = status.column_index("check") - 1
    sheet.conditional_format(first, check_column, last, check_column, {
        "type": "cell", "criteria": "!=", "value": '"OK"', "format": fmt.warning})
    amended_column = status.column_index("amended_status") - 1
    sheet.data_validation(first, amended_column, last, amended_column, {
        "validate": "list", "source": list(AMENDABLE_STATUSES),
        "input_title": "Amended status", "input_message": "Only when the workshop agreed a "
                                                          "different status; leave empty "
                                                          "otherwise.",
        "error_message": "Pick Good, Satisfactory, Unsatisfactory or Weak."})

    sheet.freeze_panes(status.header_row, 1)
    _protect(sheet)
    print_ready(sheet, header_row=status.header_row - 1)


def _text(value: object) -> str:
    """A cell's value as a formula compares it with "" (an empty cell is "")."""
    return "" if value is None else str(value)


def _actions_per_function(content: ReportContent) -> dict[str, int]:
    """How many Annex I actions each function has (by its label, case-folded as Excel
    compares text), counting rows that name an action."""
    counts: dict[str, int] = {}
    for offset in range(ANNEX_ACTIONS.rows):
        function = _text(_entry(content, ANNEX_ACTIONS.key, offset, "function")).casefold()
        if _text(_entry(content, ANNEX_ACTIONS.key, offset, "action")):
            counts[function] = counts.get(function, 0) + 1
    return counts


def _check_text(final: str, actions: int, amended: str, reason: str, consensus: str) -> str:
    """What Annex I's Check column says (as its formula does)."""
    if final.casefold() in (WEAK.casefold(), UNSATISFACTORY.casefold()) and actions == 0:
        return "Add at least one action"
    if actions > MAX_ACTIONS:
        return f"More than {MAX_ACTIONS} actions"
    if amended and not reason:
        return "Give the reason for the amendment"
    if amended and not consensus:
        return "Add the consensus note"
    return "OK"


def _actions_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    actions = ANNEX_ACTIONS
    sheet = book.add_worksheet(actions.sheet)
    for index, item in enumerate(actions.fields):
        sheet.set_column(index, index, item.width)
    sheet.write_string(0, 0, f"Annex I: priority actions of the "
                             f"{content.survey.description.title}", fmt.title)
    sheet.merge_range(1, 0, 2, len(actions.fields) - 1,
                      "Up to 5 priority follow-up actions per function, one per row: pick the "
                      "function from the list, say what will be done, by which organisation, "
                      "by when, and what support it needs. Every Unsatisfactory or Weak "
                      "function needs at least one action.", fmt.wrapped_note)
    sheet.write_string(actions.title_row - 1, 0, actions.title, fmt.subtitle)
    _headers(sheet, actions.header_row - 1, [item.label for item in actions.fields], fmt)
    sheet.set_row(actions.header_row - 1, 30)
    for offset, row in enumerate(range(actions.first_data_row - 1, actions.last_data_row)):
        height = 0.0
        for item in actions.fields:
            value = _entry(content, actions.key, offset, item.key)
            _input_cell(sheet, row, actions.column_index(item.key) - 1, value,
                        fmt.input_date if item.key == "deadline" else fmt.input)
            if isinstance(value, str):
                height = max(height, _height(value, item.width))
        if height:
            sheet.set_row(row, height)
    first, last = actions.first_data_row - 1, actions.last_data_row - 1
    function_column = actions.column_index("function") - 1
    sheet.data_validation(first, function_column, last, function_column, {
        "validate": "list", "source": f"={_function_list_ref()}",
        "input_title": "Function", "input_message": "The function this action improves.",
        "error_message": "Pick one of the seven functions from the list."})
    deadline_column = actions.column_index("deadline") - 1
    sheet.data_validation(first, deadline_column, last, deadline_column, {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
        "input_title": "Deadline", "input_message": "A date, e.g. 30/06/2025.",
        "error_message": "Type a date, e.g. 30/06/2025."})
    sheet.freeze_panes(actions.header_row, 0)
    _protect(sheet)
    print_ready(sheet, header_row=actions.header_row - 1)


def _protect(sheet: Worksheet) -> None:
    """Lock what ClusterBook computed; the yellow cells stay open (no password)."""
    sheet.protect("", {"format_columns": True, "format_rows": True,
                       "select_locked_cells": True, "select_unlocked_cells": True})


def _entry(content: ReportContent, section: str, offset: int, key: str) -> object:
    """What the cluster wrote in an input cell, when the book is written filled."""
    if content.annex is None:
        return None
    rows = content.annex.tables.get(section, [])
    return rows[offset].get(key) if offset < len(rows) else None


def _input_cell(sheet: Worksheet, row: int, column: int, value: object, cell_format: Format
                ) -> None:
    """An input cell, empty or holding what the cluster typed (text stays text)."""
    if value is None or value == "":
        sheet.write_blank(row, column, None, cell_format)
    elif isinstance(value, dt.date):
        moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value,
                                                                                  dt.time())
        sheet.write_datetime(row, column, moment, cell_format)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        sheet.write_number(row, column, value, cell_format)
    else:
        sheet.write_string(row, column, str(value), cell_format)


def _function_list_ref() -> str:
    """Where the function labels of the Annex I dropdown sit (the hidden form sheet)."""
    return sheet_ref(FORM_SHEET, range_ref(1, 4, len(FUNCTION_LABELS), 4, absolute=True))


# -------------------------------------------------------------------------------- follow-up

def _month_names(start: dt.date | None) -> list[str]:
    if start is None:
        return [""] * MONTHS
    first = add_months(start.replace(day=1), 1)
    return [add_months(first, offset).strftime("%b %Y") for offset in range(MONTHS)]


def _follow_up_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    section = FOLLOW_UP
    sheet = book.add_worksheet(section.sheet)
    for index, item in enumerate(section.fields):
        sheet.set_column(index, index, item.width)
    sheet.write_string(0, 0, section.title, fmt.title)
    sheet.merge_range(1, 0, 2, 9, "The actions come from Annex I. Each month, pick each "
                                  "action's progress: Not started, In progress, Done or "
                                  "Delayed. Q1 to Q4 show the latest progress at each "
                                  "quarter's end, for the quarterly report.", fmt.wrapped_note)
    months = _month_names(content.survey.description.ccpm_date)
    headers = []
    for item in section.fields:
        if item.key.startswith("month_"):
            name = months[int(item.key.split("_")[1]) - 1]
            headers.append(f"{item.label}\n{name}" if name else item.label)
        else:
            headers.append(item.label)
    _headers(sheet, section.header_row - 1, headers, fmt)
    sheet.set_row(section.header_row - 1, 32)
    linked = {"function": "function", "action": "action", "responsible": "responsible",
              "deadline": "deadline"}
    follow = follow_up_values(content)
    for offset in range(section.rows):
        row = section.first_data_row + offset
        source_row = ANNEX_ACTIONS.first_data_row + offset
        for key, source_key in linked.items():
            source = sheet_ref(ANNEX_ACTIONS.sheet, _cell(ANNEX_ACTIONS, source_key,
                                                          source_row))
            sheet.write_formula(row - 1, section.column_index(key) - 1,
                                f'=IF({source}="","",{source})',
                                fmt.computed_date if key == "deadline" else fmt.computed,
                                follow[offset][key])
        for month in range(1, MONTHS + 1):
            _input_cell(sheet, row - 1, section.column_index(f"month_{month}") - 1,
                        _entry(content, section.key, offset, f"month_{month}"),
                        fmt.input_centre)
        for quarter in range(1, QUARTERS + 1):
            ends = [_cell(section, f"month_{month}", row)
                    for month in range(quarter * 3, quarter * 3 - 3, -1)]
            before = '""' if quarter == 1 else _cell(section, f"q{quarter - 1}", row)
            formula = before
            for cell in reversed(ends):
                formula = f'IF({cell}<>"",{cell},{formula})'
            sheet.write_formula(row - 1, section.column_index(f"q{quarter}") - 1,
                                "=" + formula, fmt.computed, follow[offset][f"q{quarter}"])
        _input_cell(sheet, row - 1, section.column_index("note") - 1,
                    _entry(content, section.key, offset, "note"), fmt.input)
        if _entry(content, ANNEX_ACTIONS.key, offset, "action"):
            sheet.set_row(row - 1, 2 * _LINE_HEIGHT)  # room for the linked function and action
    first, last = section.first_data_row - 1, section.last_data_row - 1
    first_month = section.column_index("month_1") - 1
    last_month = section.column_index(f"month_{MONTHS}") - 1
    sheet.data_validation(first, first_month, last, last_month, {
        "validate": "list", "source": list(ACTION_PROGRESS),
        "error_message": "Pick Not started, In progress, Done or Delayed."})
    last_quarter = section.column_index(f"q{QUARTERS}") - 1
    colours = {"Done": BAND_COLOURS["Good"], "In progress": BAND_COLOURS["Satisfactory"],
               "Delayed": BAND_COLOURS["Weak"], "Not started": BAND_COLOURS[NOT_ASSESSED]}
    for status, colour in colours.items():
        progress = book.add_format({"bg_color": colour.fill, "font_color": colour.text})
        sheet.conditional_format(first, first_month, last, last_quarter, {
            "type": "cell", "criteria": "==", "value": f'"{status}"', "format": progress})
    sheet.freeze_panes(section.header_row, 2)
    _protect(sheet)
    print_ready(sheet, header_row=section.header_row - 1)
    # Two pages wide, the function and action repeated on both.
    sheet.fit_to_pages(2, 0)
    sheet.repeat_columns(0, 1)


def _cell_value(value: object) -> object:
    """What a formula referring to an input cell gets: a date as its serial number."""
    if isinstance(value, dt.date):
        return _excel_serial(value if not isinstance(value, dt.datetime) else value.date())
    return "" if value is None else value


def follow_up_values(content: ReportContent) -> list[dict[str, object]]:
    """What each Follow-up row's formulas give: the action linked from Annex I, and each
    quarter's latest progress (the quarter before when no month of it has one)."""
    rows = []
    for offset in range(FOLLOW_UP.rows):
        values = {key: _cell_value(_entry(content, ANNEX_ACTIONS.key, offset, key))
                  for key in ("function", "action", "responsible", "deadline")}
        latest: object = ""
        for quarter in range(1, QUARTERS + 1):
            for month in range(quarter * 3, quarter * 3 - 3, -1):
                progress = _text(_entry(content, FOLLOW_UP.key, offset, f"month_{month}"))
                if progress:
                    latest = progress
                    break
            values[f"q{quarter}"] = latest
        rows.append(values)
    return rows


# --------------------------------------------------------------------------- quarterly report

def _quarterly_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    start = content.survey.description.ccpm_date
    listed = [row for row in follow_up_values(content) if row["action"] != ""]
    sheet = book.add_worksheet(QUARTERLY)
    widths = (56, 10, 10, 12, 10, 12, 10)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Quarterly progress report to the HC/HCT", fmt.title)
    sheet.merge_range(1, 0, 1, len(widths) - 1,
                      "Each action counts under its latest progress by the end of the quarter "
                      "(Follow-up sheet); an action with no progress recorded yet counts as "
                      "Not started.", fmt.wrapped_note)
    sheet.set_row(1, 2 * _LINE_HEIGHT)
    months = _month_names(start)
    follow = FOLLOW_UP
    function_range = _column_range(follow, "function", sheet=True)
    action_range = _column_range(follow, "action", sheet=True)
    row = 3
    for quarter in range(1, QUARTERS + 1):
        quarter_range = _column_range(follow, f"q{quarter}", sheet=True)
        span = f"months {quarter * 3 - 2} to {quarter * 3}"
        if months[0]:
            span = f"{months[quarter * 3 - 3]} to {months[quarter * 3 - 1]}, {span}"
        sheet.write_string(row, 0, f"Quarter {quarter} ({span})", fmt.subtitle)
        row += 1
        _headers(sheet, row, ("Function", "Actions", *ACTION_PROGRESS[2:3],
                              ACTION_PROGRESS[1], ACTION_PROGRESS[3], ACTION_PROGRESS[0],
                              "Done (%)"), fmt)
        first_line = row + 1
        totals = [0] * 5
        for label in FUNCTION_LABELS:
            row += 1
            excel_row = row + 1
            label_cell = cell_ref(excel_row, 1)
            sheet.write_string(row, 0, label, fmt.text)
            chosen = f'({function_range}={label_cell})*({action_range}<>"")'
            mine = [str(item[f"q{quarter}"]).casefold() for item in listed
                    if str(item["function"]).casefold() == label.casefold()]
            counts = [len(mine), *(mine.count(status.casefold())
                                   for status in ("Done", "In progress", "Delayed"))]
            counts.append(counts[0] - sum(counts[1:]))
            totals = [total + count for total, count in zip(totals, counts, strict=True)]
            sheet.write_formula(row, 1, f"=SUMPRODUCT({chosen})", fmt.count, counts[0])
            for offset, status in enumerate(("Done", "In progress", "Delayed"), start=2):
                sheet.write_formula(row, offset,
                                    f'=SUMPRODUCT({chosen}*({quarter_range}="{status}"))',
                                    fmt.count, counts[offset - 1])
            sheet.write_formula(row, 5, f"={cell_ref(excel_row, 2)}-{cell_ref(excel_row, 3)}"
                                        f"-{cell_ref(excel_row, 4)}-{cell_ref(excel_row, 5)}",
                                fmt.count, counts[4])
            sheet.write_formula(row, 6, f'=IF({cell_ref(excel_row, 2)}=0,"",'
                                        f"{cell_ref(excel_row, 3)}/{cell_ref(excel_row, 2)})",
                                fmt.percent, counts[1] / counts[0] if counts[0] else "")
        row += 1
        excel_row = row + 1
        sheet.write_string(row, 0, "All functions", fmt.bold_text)
        for column in range(1, 6):
            letter = column_letter(column + 1)
            sheet.write_formula(row, column, f"=SUM({letter}{first_line + 1}:{letter}{row})",
                                fmt.bold_count, totals[column - 1])
        sheet.write_formula(row, 6, f'=IF({cell_ref(excel_row, 2)}=0,"",'
                                    f"{cell_ref(excel_row, 3)}/{cell_ref(excel_row, 2)})",
                            fmt.bold_percent, totals[1] / totals[0] if totals[0] else "")
        row += 3
    print_ready(sheet, landscape=False)


# ------------------------------------------------------------------------ findings, about

def _findings_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(FINDINGS)
    widths = (10, 80, 22, 16, 8, 18)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Problems found in the survey data", fmt.title)
    sheet.write_string(1, 0, "Answers with an error were left out of the scores (never "
                             "counted as zero). Fix them in the files and make the report "
                             "again.", fmt.note)
    _headers(sheet, 3, ("Severity", "What", "File", "Sheet", "Cell", "Value"), fmt)
    ordered = sorted(content.findings, key=lambda item: str(item.severity))
    for row, finding in enumerate(ordered, start=4):
        sheet.write_string(row, 0, str(finding.severity), fmt.text)
        sheet.write_string(row, 1, finding.message, fmt.text)
        sheet.write_string(row, 2, finding.file, fmt.text)
        sheet.write_string(row, 3, finding.sheet, fmt.text)
        sheet.write_string(row, 4, finding.cell, fmt.text)
        sheet.write_string(row, 5, finding.value, fmt.text)
        sheet.set_row(row, _height(finding.message, widths[1]))
    sheet.autofilter(3, 0, 3 + len(ordered), 5)
    print_ready(sheet, header_row=3)


def _about_sheet(book: Workbook, fmt: _Formats, content: ReportContent) -> None:
    sheet = book.add_worksheet(ABOUT)
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 90)
    sheet.write_string(0, 0, "About this report", fmt.title)
    description = content.survey.description
    bank = content.assessment.bank
    rows: list[tuple[str, str]] = [
        ("Cluster", description.title),
        ("Date of this CCPM", _date_text(description.ccpm_date)),
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
        sheet.set_row(row, _height(value, 90))
    print_ready(sheet)


def _results_sheet(book: Workbook, content: ReportContent) -> None:
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
    sheet.write_string(0, _CHART_LABEL_COLUMN, "chart label")
    sheet.write_string(0, _CHART_SCORE_COLUMN, "chart score")
    for offset, line in enumerate(assessment.function_scores.itertuples(index=False), start=1):
        sheet.write_string(offset, _CHART_LABEL_COLUMN,
                           f"{line.function} {FUNCTION_SHORT_NAMES[line.function]}")
        if not pd.isna(line.score):
            sheet.write_number(offset, _CHART_SCORE_COLUMN, float(line.score))


def _result_row(sheet: Worksheet, row: int, level: str, ident: str, name: str, score: Any,
                status: str, respondents: int) -> None:
    sheet.write_string(row, 0, level)
    sheet.write_string(row, 1, ident)
    sheet.write_string(row, 2, name)
    if not pd.isna(score):
        sheet.write_number(row, 3, float(score))
    sheet.write_string(row, 4, status)
    sheet.write_number(row, 5, respondents)


def _form_sheet(book: Workbook, content: ReportContent) -> None:
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
