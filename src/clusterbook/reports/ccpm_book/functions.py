"""A sheet per function (sub-functions, each question's score and answers, the comments)
and the Good practice and constraints sheet."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from clusterbook.domain.ccpm import CONSTRAINT_AT_MOST, NOT_STATED
from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm_bank import (
    FUNCTION_SHORT_NAMES,
    ORGANISATION_TYPES,
    Role,
    function_label,
)
from clusterbook.reports.ccpm_book.formats import (
    Formats,
    row_height,
    score_cell,
    status_cell,
    write_headers,
)
from clusterbook.reports.ccpm_content import ReportContent

PRACTICE = "Good practice"


def function_sheet(function: str) -> str:
    """The name of a function's sheet: '3 Planning and strategy'."""
    return f"{function} {FUNCTION_SHORT_NAMES[function]}"


_QUESTION_WIDTHS = (7, 56, 11, 9, 15, 12, 40)


def write_function_sheet(book: Workbook, fmt: Formats, content: ReportContent, function: str
                    ) -> None:
    """A function's sheet: its score, sub-functions, questions and comments."""
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
    score_cell(sheet, 1, 3, line["score"], fmt.bold_score)
    status_cell(sheet, 1, 4, str(line["status"]), fmt)
    respondents = _respondent_line(content, function)
    sheet.merge_range(2, 0, 2, last, respondents, fmt.wrapped_note)
    sheet.set_row(2, row_height(respondents, sum(_QUESTION_WIDTHS)))
    row = 4
    subs = assessment.scores[(assessment.scores["level"] == "sub-function")
                             & (assessment.scores["function"].str.split(".").str[0] == function)]
    if len(subs):
        sheet.merge_range(row, 0, row, 2, "Sub-function", fmt.header)
        write_headers(sheet, row, ("Score (%)", "Status", "Respondents"), fmt, first_column=3)
        sheet.set_row(row, 30)
        for sub in subs.itertuples(index=False):
            row += 1
            sheet.write_string(row, 0, str(sub.function), fmt.centre)
            sheet.merge_range(row, 1, row, 2, str(sub.name), fmt.text)
            score_cell(sheet, row, 3, sub.score, fmt.score)
            status_cell(sheet, row, 4, str(sub.status), fmt)
            sheet.write_number(row, 5, int(sub.respondents), fmt.count)
            sheet.set_row(row, row_height(str(sub.name), _QUESTION_WIDTHS[1] + _QUESTION_WIDTHS[2]))
        row += 2
    questions = assessment.questions[assessment.questions["function"] == function]
    sheet.write_string(row, 0, "Questions", fmt.subtitle)
    row += 1
    header_row = row
    write_headers(sheet, row, ("Id", "Question", "Asked of", "Score (%)", "Status", "Answered",
                          "Answers"), fmt)
    for question in questions.itertuples(index=False):
        row += 1
        sheet.write_string(row, 0, str(question.question_id), fmt.centre)
        sheet.write_string(row, 1, str(question.text), fmt.text)
        sheet.write_string(row, 2, str(question.asked_of), fmt.text)
        score_cell(sheet, row, 3, question.score, fmt.score)
        status_cell(sheet, row, 4, str(question.status), fmt)
        sheet.write_number(row, 5, int(question.answered), fmt.centre_count)
        sheet.write_string(row, 6, str(question.distribution) or "no answers", fmt.text)
        sheet.set_row(row, max(row_height(str(question.text), _QUESTION_WIDTHS[1]),
                               row_height(str(question.distribution), _QUESTION_WIDTHS[6])))
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
        if comment.organisation_type != NOT_STATED \
                and comment.respondent_role != Role.COORDINATOR:
            source += f" ({comment.organisation_type})"
        sheet.write_string(row, 6, source, fmt.text)
        sheet.set_row(row, row_height(str(comment.comment), width))
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
    coordinator = int(table.at[function, Role.COORDINATOR])
    text = "Partner respondents: " + (", ".join(parts) if parts else "none")
    return text + f". Coordinator: {coordinator}."


def write_practice(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Good practice and constraints sheet."""
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
        write_headers(sheet, row, ("Id", "Function", "Question", "Score (%)", "Status", "Answered"),
                 fmt)
        if table.empty:
            row += 1
            sheet.write_string(row, 0, empty, fmt.note)
        for question in table.itertuples(index=False):
            row += 1
            sheet.write_string(row, 0, str(question.question_id), fmt.centre)
            sheet.write_string(row, 1, str(question.function), fmt.centre)
            sheet.write_string(row, 2, str(question.text), fmt.text)
            score_cell(sheet, row, 3, question.score, fmt.score)
            status_cell(sheet, row, 4, str(question.status), fmt)
            sheet.write_number(row, 5, int(question.answered), fmt.count)
            sheet.set_row(row, row_height(str(question.text), widths[2]))
        row += 3
    print_ready(sheet, landscape=False)
