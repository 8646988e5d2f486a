"""Annex I: the status of each function (with amendment columns and a Check formula) and the
priority actions."""

from __future__ import annotations

import datetime as dt

from xlsxwriter.workbook import Workbook

from clusterbook.domain.ccpm import MAX_ACTIONS
from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm import AMENDABLE_STATUSES, ANNEX_ACTIONS, ANNEX_STATUS
from clusterbook.forms.ccpm_bank import FUNCTIONS, CcpmStatus, function_label
from clusterbook.reports.ccpm_book.formats import (
    LINE_HEIGHT,
    Formats,
    band_conditional,
    input_cell,
    protect,
    row_height,
    score_cell,
    write_headers,
)
from clusterbook.reports.ccpm_book.records import function_list_ref
from clusterbook.reports.ccpm_book.sections import cell_text, column_range, entry, field_cell
from clusterbook.reports.ccpm_content import ReportContent


def write_annex_status(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Annex I sheet: each function's computed and final status, the amendment, what works
    well, constraints, and the Check formula."""
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
    write_headers(sheet, status.header_row - 1, [item.label for item in status.fields], fmt)
    sheet.set_row(status.header_row - 1, 30)
    functions = content.assessment.function_scores.set_index("function")
    actions_function = column_range(ANNEX_ACTIONS, "function", sheet=True)
    actions_text = column_range(ANNEX_ACTIONS, "action", sheet=True)
    inputs = ("amended_status", "reason", "consensus", "works_well", "constraints")
    actions = _actions_per_function(content)
    for offset, function in enumerate(FUNCTIONS):
        row = status.first_data_row + offset  # 1-based sheet row
        index = row - 1
        line = functions.loc[function]
        sheet.write_string(index, status.column_index("function") - 1,
                           function_label(function), fmt.bold_text)
        score_cell(sheet, index, status.column_index("score") - 1, line["score"],
                    fmt.computed_score)
        sheet.write_string(index, status.column_index("computed_status") - 1,
                           str(line["status"]), fmt.computed)
        for key in inputs:
            input_cell(sheet, index, status.column_index(key) - 1,
                        entry(content, status.key, offset, key), fmt.input)
        computed = field_cell(status, "computed_status", row)
        amended = field_cell(status, "amended_status", row)
        final = field_cell(status, "final_status", row)
        label = field_cell(status, "function", row)
        amended_status = cell_text(entry(content, status.key, offset, "amended_status"))
        final_status = amended_status or str(line["status"])
        sheet.write_formula(index, status.column_index("final_status") - 1,
                            f'=IF({amended}<>"",{amended},{computed})', fmt.computed,
                            final_status)
        count = f'COUNTIFS({actions_function},{label},{actions_text},"<>")'
        reason = field_cell(status, "reason", row)
        consensus = field_cell(status, "consensus", row)
        check = (f'=IF(AND(OR({final}="{CcpmStatus.WEAK}",{final}="{CcpmStatus.UNSATISFACTORY}"),'
                 f'{count}=0),'
                 f'"Add at least one action",IF({count}>{MAX_ACTIONS},'
                 f'"More than {MAX_ACTIONS} actions",IF(AND({amended}<>"",{reason}=""),'
                 f'"Give the reason for the amendment",IF(AND({amended}<>"",{consensus}=""),'
                 f'"Add the consensus note","OK"))))')
        expected = _check_text(final_status, actions.get(function_label(function).casefold(),
                                                         0),
                               amended_status, cell_text(entry(content, status.key, offset,
                                                            "reason")),
                               cell_text(entry(content, status.key, offset, "consensus")))
        sheet.write_formula(index, status.column_index("check") - 1, check, fmt.computed,
                            expected)
        typed = [(str(entry(content, status.key, offset, key) or ""),
                  status.fields[status.column_index(key) - 1].width) for key in inputs]
        sheet.set_row(index, max(row_height(function_label(function), status.fields[0].width),
                                 2 * LINE_HEIGHT,
                                 *(row_height(text, width) for text, width in typed if text)))
    first, last = status.first_data_row - 1, status.last_data_row - 1
    for key in ("computed_status", "final_status"):
        band_conditional(sheet, first, status.column_index(key) - 1, last, fmt)
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
    protect(sheet)
    print_ready(sheet, header_row=status.header_row - 1)


def _actions_per_function(content: ReportContent) -> dict[str, int]:
    """How many Annex I actions each function has (by its label, case-folded as Excel
    compares text), counting rows that name an action."""
    counts: dict[str, int] = {}
    for offset in range(ANNEX_ACTIONS.rows):
        function = cell_text(entry(content, ANNEX_ACTIONS.key, offset, "function")).casefold()
        if cell_text(entry(content, ANNEX_ACTIONS.key, offset, "action")):
            counts[function] = counts.get(function, 0) + 1
    return counts


def _check_text(final: str, actions: int, amended: str, reason: str, consensus: str) -> str:
    """What Annex I's Check column says (as its formula does)."""
    if final.casefold() in (CcpmStatus.WEAK.casefold(), CcpmStatus.UNSATISFACTORY.casefold()) \
            and actions == 0:
        return "Add at least one action"
    if actions > MAX_ACTIONS:
        return f"More than {MAX_ACTIONS} actions"
    if amended and not reason:
        return "Give the reason for the amendment"
    if amended and not consensus:
        return "Add the consensus note"
    return "OK"


def write_annex_actions(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Annex I actions sheet: up to 5 priority actions per function, as input cells."""
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
    write_headers(sheet, actions.header_row - 1, [item.label for item in actions.fields], fmt)
    sheet.set_row(actions.header_row - 1, 30)
    for offset, row in enumerate(range(actions.first_data_row - 1, actions.last_data_row)):
        height = 0.0
        for item in actions.fields:
            value = entry(content, actions.key, offset, item.key)
            input_cell(sheet, row, actions.column_index(item.key) - 1, value,
                        fmt.input_date if item.key == "deadline" else fmt.input)
            if isinstance(value, str):
                height = max(height, row_height(value, item.width))
        if height:
            sheet.set_row(row, height)
    first, last = actions.first_data_row - 1, actions.last_data_row - 1
    function_column = actions.column_index("function") - 1
    sheet.data_validation(first, function_column, last, function_column, {
        "validate": "list", "source": f"={function_list_ref()}",
        "input_title": "Function", "input_message": "The function this action improves.",
        "error_message": "Pick one of the seven functions from the list."})
    deadline_column = actions.column_index("deadline") - 1
    sheet.data_validation(first, deadline_column, last, deadline_column, {
        "validate": "date", "criteria": "between",
        "minimum": dt.date(2000, 1, 1), "maximum": dt.date(2099, 12, 31),
        "input_title": "Deadline", "input_message": "A date, e.g. 30/06/2025.",
        "error_message": "Type a date, e.g. 30/06/2025."})
    sheet.freeze_panes(actions.header_row, 0)
    protect(sheet)
    print_ready(sheet, header_row=actions.header_row - 1)
