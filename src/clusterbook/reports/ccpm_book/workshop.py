"""The Workshop groups sheet: who sits in which working group, or the plan of groups."""

from __future__ import annotations

from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from clusterbook.domain.ccpm import group_plan
from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm_bank import function_label
from clusterbook.reports.ccpm_book.formats import Formats, row_height, write_headers
from clusterbook.reports.ccpm_content import ReportContent

WORKSHOP = "Workshop groups"


def write_workshop(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Workshop groups sheet: the participants in their groups, or the plan of groups."""
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
            write_headers(sheet, row, ("Group", "Functions"), fmt)
            for number, functions in enumerate(plan, start=1):
                row += 1
                sheet.write_number(row, 0, number, fmt.centre)
                sheet.write_string(row, 1, _functions_text(functions), fmt.text)
                sheet.set_row(row, row_height(_functions_text(functions), widths[1]))
            row += 2
        print_ready(sheet)
        return
    for note in content.group_notes:
        sheet.write_string(row, 0, note, fmt.warning)
        row += 1
    row += 1
    header_row = row
    write_headers(sheet, row, ("Group", "Functions", "Name", "Organisation", "Organisation type"),
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
            sheet.set_row(row, row_height(_functions_text(functions), widths[1]))
    print_ready(sheet, header_row=header_row)


def _functions_text(functions: Sequence[str]) -> str:
    return "\n".join(function_label(function) for function in functions)
