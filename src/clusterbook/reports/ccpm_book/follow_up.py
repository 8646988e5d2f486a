"""The Follow-up sheet (each action's progress month by month) and the quarterly progress
report to the HC/HCT, both formulas on Annex I's actions."""

from __future__ import annotations

import datetime as dt
from typing import Final

from xlsxwriter.workbook import Workbook

from clusterbook.domain.ccpm import add_months
from clusterbook.excel.write import print_ready
from clusterbook.forms.ccpm import ANNEX_ACTIONS, FOLLOW_UP, MONTHS, QUARTERS
from clusterbook.forms.ccpm_bank import ACTION_PROGRESS, FUNCTION_LABELS, ActionProgress, CcpmStatus
from clusterbook.forms.cells import cell_ref, range_ref, sheet_ref
from clusterbook.reports.ccpm_book.formats import (
    LINE_HEIGHT,
    Formats,
    input_cell,
    protect,
    write_headers,
)
from clusterbook.reports.ccpm_book.sections import (
    cell_text,
    cell_value,
    column_range,
    entry,
    field_cell,
)
from clusterbook.reports.ccpm_content import ReportContent
from clusterbook.styles import BAND_COLOURS

QUARTERLY = "Quarterly report"


def _month_names(start: dt.date | None) -> list[str]:
    if start is None:
        return [""] * MONTHS
    first = add_months(start.replace(day=1), 1)
    return [add_months(first, offset).strftime("%b %Y") for offset in range(MONTHS)]


def write_follow_up(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The Follow-up sheet: Annex I's actions linked, their monthly progress, Q1 to Q4."""
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
    write_headers(sheet, section.header_row - 1, headers, fmt)
    sheet.set_row(section.header_row - 1, 32)
    linked = {"function": "function", "action": "action", "responsible": "responsible",
              "deadline": "deadline"}
    follow = follow_up_values(content)
    for offset in range(section.rows):
        row = section.first_data_row + offset
        source_row = ANNEX_ACTIONS.first_data_row + offset
        for key, source_key in linked.items():
            source = sheet_ref(ANNEX_ACTIONS.sheet, field_cell(ANNEX_ACTIONS, source_key,
                                                          source_row))
            sheet.write_formula(row - 1, section.column_index(key) - 1,
                                f'=IF({source}="","",{source})',
                                fmt.computed_date if key == "deadline" else fmt.computed,
                                follow[offset][key])
        for month in range(1, MONTHS + 1):
            input_cell(sheet, row - 1, section.column_index(f"month_{month}") - 1,
                        entry(content, section.key, offset, f"month_{month}"),
                        fmt.input_centre)
        for quarter in range(1, QUARTERS + 1):
            ends = [field_cell(section, f"month_{month}", row)
                    for month in range(quarter * 3, quarter * 3 - 3, -1)]
            before = '""' if quarter == 1 else field_cell(section, f"q{quarter - 1}", row)
            formula = before
            for cell in reversed(ends):
                formula = f'IF({cell}<>"",{cell},{formula})'
            sheet.write_formula(row - 1, section.column_index(f"q{quarter}") - 1,
                                "=" + formula, fmt.computed, follow[offset][f"q{quarter}"])
        input_cell(sheet, row - 1, section.column_index("note") - 1,
                    entry(content, section.key, offset, "note"), fmt.input)
        if entry(content, ANNEX_ACTIONS.key, offset, "action"):
            sheet.set_row(row - 1, 2 * LINE_HEIGHT)  # room for the linked function and action
    first, last = section.first_data_row - 1, section.last_data_row - 1
    first_month = section.column_index("month_1") - 1
    last_month = section.column_index(f"month_{MONTHS}") - 1
    sheet.data_validation(first, first_month, last, last_month, {
        "validate": "list", "source": list(ACTION_PROGRESS),
        "error_message": "Pick Not started, In progress, Done or Delayed."})
    last_quarter = section.column_index(f"q{QUARTERS}") - 1
    colours = {ActionProgress.DONE: BAND_COLOURS[CcpmStatus.GOOD],
               ActionProgress.IN_PROGRESS: BAND_COLOURS[CcpmStatus.SATISFACTORY],
               ActionProgress.DELAYED: BAND_COLOURS[CcpmStatus.WEAK],
               ActionProgress.NOT_STARTED: BAND_COLOURS[CcpmStatus.NOT_ASSESSED]}
    for status, colour in colours.items():
        progress = book.add_format({"bg_color": colour.fill, "font_color": colour.text})
        sheet.conditional_format(first, first_month, last, last_quarter, {
            "type": "cell", "criteria": "==", "value": f'"{status}"', "format": progress})
    sheet.freeze_panes(section.header_row, 2)
    protect(sheet)
    print_ready(sheet, header_row=section.header_row - 1)
    # Two pages wide, the function and action repeated on both.
    sheet.fit_to_pages(2, 0)
    sheet.repeat_columns(0, 1)


def follow_up_values(content: ReportContent) -> list[dict[str, object]]:
    """What each Follow-up row's formulas give: the action linked from Annex I, and each
    quarter's latest progress (the quarter before when no month of it has one)."""
    rows = []
    for offset in range(FOLLOW_UP.rows):
        values = {key: cell_value(entry(content, ANNEX_ACTIONS.key, offset, key))
                  for key in ("function", "action", "responsible", "deadline")}
        latest: object = ""
        for quarter in range(1, QUARTERS + 1):
            for month in range(quarter * 3, quarter * 3 - 3, -1):
                progress = cell_text(entry(content, FOLLOW_UP.key, offset, f"month_{month}"))
                if progress:
                    latest = progress
                    break
            values[f"q{quarter}"] = latest
        rows.append(values)
    return rows


# --------------------------------------------------------------------------- quarterly report

#: The progress the quarterly report counts, in its columns' order (Not started is the rest).
_COUNTED: Final = (ActionProgress.DONE, ActionProgress.IN_PROGRESS, ActionProgress.DELAYED)


def write_quarterly(book: Workbook, fmt: Formats, content: ReportContent) -> None:
    """The quarterly progress report: each quarter's actions per function and progress."""
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
    sheet.set_row(1, 2 * LINE_HEIGHT)
    months = _month_names(start)
    follow = FOLLOW_UP
    function_range = column_range(follow, "function", sheet=True)
    action_range = column_range(follow, "action", sheet=True)
    row = 3
    for quarter in range(1, QUARTERS + 1):
        quarter_range = column_range(follow, f"q{quarter}", sheet=True)
        span = f"months {quarter * 3 - 2} to {quarter * 3}"
        if months[0]:
            span = f"{months[quarter * 3 - 3]} to {months[quarter * 3 - 1]}, {span}"
        sheet.write_string(row, 0, f"Quarter {quarter} ({span})", fmt.subtitle)
        row += 1
        write_headers(sheet, row, ("Function", "Actions", *_COUNTED, ActionProgress.NOT_STARTED,
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
            counts = [len(mine), *(mine.count(status.casefold()) for status in _COUNTED)]
            counts.append(counts[0] - sum(counts[1:]))
            totals = [total + count for total, count in zip(totals, counts, strict=True)]
            sheet.write_formula(row, 1, f"=SUMPRODUCT({chosen})", fmt.count, counts[0])
            for offset, status in enumerate(_COUNTED, start=2):
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
            above = range_ref(first_line + 1, column + 1, row, column + 1)
            sheet.write_formula(row, column, f"=SUM({above})",
                                fmt.bold_count, totals[column - 1])
        sheet.write_formula(row, 6, f'=IF({cell_ref(excel_row, 2)}=0,"",'
                                    f"{cell_ref(excel_row, 3)}/{cell_ref(excel_row, 2)})",
                            fmt.bold_percent, totals[1] / totals[0] if totals[0] else "")
        row += 3
    print_ready(sheet, landscape=False)
