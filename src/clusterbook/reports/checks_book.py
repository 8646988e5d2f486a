"""What `clusterbook validate` writes: a checked copy of a submission (a Checks sheet first,
offending cells highlighted, each with its message as a comment), and a findings book.

The submission itself is never modified: the copy is written atomically beside it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clusterbook.domain.errors import WorkbookError
from clusterbook.domain.findings import FINDING_COLUMNS, Finding
from clusterbook.domain.outcomes import printable, printable_in_cell
from clusterbook.domain.values import MAX_CELL_TEXT
from clusterbook.excel.cached import formula_values, store_formula_values
from clusterbook.excel.intake import first_line
from clusterbook.excel.write import (
    FOOTER,
    atomic_path,
    day_words,
    new_workbook,
    print_ready,
    set_cell,
)
from clusterbook.forms.cells import sheet_ref
from clusterbook.styles import FINDING_COLOURS, HEADER

CHECKS_SHEET = "Checks"
#: What the template's own (live) checks sheet is called in a checked copy.
LIVE_CHECKS_SHEET = "Live checks"
TITLE_PREFIX = "Checks of "
#: Headers of the findings tables, by finding field.
HEADERS = {"severity": "Severity", "rule": "Rule", "message": "Message", "file": "File",
           "sheet": "Sheet", "cell": "Cell", "value": "Value"}
WIDTHS = {"severity": 9, "rule": 22, "message": 80, "file": 28, "sheet": 14, "cell": 8,
          "value": 22}
#: The Checks sheet's fonts name the font of the books' cells (a font without a name prints in
#: the spreadsheet's fallback, a serif in LibreOffice).
FONT = "Calibri"


def checked_copy_path(path: Path) -> Path:
    """'Kotal_KTL-001.xlsx' -> 'Kotal_KTL-001.checked.xlsx' (beside it)."""
    return path.with_name(f"{path.stem}.checked{path.suffix}")


#: A submission larger than this gets no checked copy (rewriting a big book cell by cell takes
#: minutes); its findings are in the findings book. A filled form is some tens of kB.
MAX_CHECKED_COPY_BYTES = 1024 * 1024


def write_checked_copy(path: Path, findings: Sequence[Finding], out: Path | None = None
                       ) -> Path:
    """Write a copy of a submission with a Checks sheet first and every offending cell
    highlighted (red for errors, amber for warnings) with the message as a comment.

    Raises WorkbookError (naming the file) when no copy can be written: a book too large, one
    the writer cannot rebuild, a folder that cannot be written."""
    size = path.stat().st_size
    if size > MAX_CHECKED_COPY_BYTES:
        raise WorkbookError(printable(path.name), f"the workbook is {size / 2**20:,.1f} MB, too "
                                                  f"large for a checked copy; the findings are "
                                                  f"listed on screen and in the findings book "
                                                  f"(--format xlsx)", kind="too-large")
    try:
        return _write_checked_copy(path, findings, out or checked_copy_path(path))
    except WorkbookError:
        raise
    except OSError as error:
        raise WorkbookError(printable(path.name), f"the checked copy cannot be written "
                                                  f"({error.strerror or error})",
                            kind="unwritable") from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError,
            zipfile.BadZipFile) as error:
        # openpyxl cannot rebuild every book calamine reads; the findings still stand.
        raise WorkbookError(printable(path.name), f"a checked copy cannot be made of this "
                                                  f"workbook ({first_line(error)})",
                            kind="damaged") from None


def _write_checked_copy(path: Path, findings: Sequence[Finding], out: Path) -> Path:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.page import PageMargins

    # openpyxl drops the values stored beside the formulas; they are put back after saving.
    stored = formula_values(path)
    book = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm",
                                  rich_text=True)
    if CHECKS_SHEET in book.sheetnames:
        existing = book[CHECKS_SHEET]
        if str(existing["A1"].value or "").startswith(TITLE_PREFIX):
            del book[CHECKS_SHEET]  # the checks of an earlier run
        else:
            existing.title = LIVE_CHECKS_SHEET  # the template's live checks stay, renamed
            stored[LIVE_CHECKS_SHEET] = stored.pop(CHECKS_SHEET, {})
    fills = {severity: PatternFill("solid", start_color=colour.fill, end_color=colour.fill)
             for severity, colour in FINDING_COLOURS.items()}
    notes: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.sheet in book.sheetnames and finding.cell:
            ref = _anchor(book[finding.sheet], finding.cell.split(":")[0])
            notes.setdefault((finding.sheet, ref), []).append(finding)
    for (sheet_name, ref), here in notes.items():
        cell = book[sheet_name][ref]
        worst = "error" if any(f.severity == "error" for f in here) else "warning"
        cell.fill = fills[worst]
        text = "\n".join(f"{f.severity.capitalize()} ({f.rule}): {_text(f.message)}"
                         for f in here)
        cell.comment = Comment(text, "ClusterBook", width=360, height=110)

    sheet = book.create_sheet(CHECKS_SHEET, 0)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    sheet["A1"] = _text(f"{TITLE_PREFIX}{path.name}")
    sheet["A1"].font = Font(name=FONT, bold=True, size=14, color=HEADER.fill)
    sheet["A2"] = (f"{errors} error{'s' if errors != 1 else ''} and {warnings} "
                   f"warning{'s' if warnings != 1 else ''}. Errors must be fixed before the "
                   f"file is sent; click a cell reference to go to the cell."
                   if findings else "No problems found.")
    columns = ["severity", "rule", "message", "sheet", "cell", "value"]
    header_fill = PatternFill("solid", start_color=HEADER.fill, end_color=HEADER.fill)
    for index, key in enumerate(columns, start=1):
        cell = sheet.cell(row=4, column=index, value=HEADERS[key])
        cell.font = Font(name=FONT, bold=True, color=HEADER.text)
        cell.fill = header_fill
        sheet.column_dimensions[cell.column_letter].width = WIDTHS[key]
    for row, finding in enumerate(findings, start=5):
        for index, key in enumerate(columns, start=1):
            cell = sheet.cell(row=row, column=index)
            set_cell(cell, _shown(finding, key))
            cell.alignment = Alignment(wrap_text=key == "message", vertical="top")
        sheet.cell(row=row, column=1).fill = fills[str(finding.severity)]
        sheet.row_dimensions[row].height = 15 * _lines(finding.message, WIDTHS["message"]) + 2
        if finding.sheet in book.sheetnames and finding.cell:
            link = sheet.cell(row=row, column=5)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=sheet_ref(
                finding.sheet, _anchor(book[finding.sheet], finding.cell.split(":")[0])))
            link.font = Font(name=FONT, color="0563C1", underline="single")
    sheet.freeze_panes = "A5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "4:4"
    # As every other printed sheet: its name and 'Page n of N' at the foot, narrow margins.
    sheet.oddFooter.left.text, sheet.oddFooter.right.text = FOOTER
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5, header=0.3,
                                     footer=0.3)
    book.active = 0
    for other in book.worksheets[1:]:
        other.sheet_view.tabSelected = False
    # Saved in memory first: a disk that fills up then fails one plain write, instead of
    # leaving openpyxl's zip half-closed (which complains on the terminal later).
    buffer = io.BytesIO()
    book.save(buffer)
    with atomic_path(out) as temporary:
        temporary.write_bytes(buffer.getvalue())
        store_formula_values(temporary, stored)
    return out


def write_findings_book(files: Sequence[tuple[str, str, int, int, int]],
                        findings: Sequence[Finding], out: Path) -> Path:
    """A book of every finding (sheet 'Findings') and every file (sheet 'Files': file, form,
    forms read, errors, warnings)."""
    with new_workbook(out) as book:
        title = book.add_format({"bold": True, "font_size": 14, "font_color": HEADER.fill})
        header = book.add_format({"bold": True, "bg_color": HEADER.fill,
                                  "font_color": HEADER.text, "border": 1, "text_wrap": True,
                                  "valign": "top"})
        wrap = book.add_format({"text_wrap": True, "valign": "top"})
        top = book.add_format({"valign": "top"})
        severity = {name: book.add_format({"bg_color": colour.fill, "font_color": colour.text,
                                           "valign": "top"})
                    for name, colour in FINDING_COLOURS.items()}
        sheet = book.add_worksheet("Findings")
        sheet.write(0, 0, "Validation findings", title)
        columns = ["file", *[c for c in FINDING_COLUMNS if c != "file"]]
        for index, key in enumerate(columns):
            sheet.write(2, index, HEADERS[key], header)
            sheet.set_column(index, index, WIDTHS[key], wrap if key == "message" else top)
        for row, finding in enumerate(findings, start=3):
            for index, key in enumerate(columns):
                value = str(getattr(finding, key) if key == "severity"
                            else _shown(finding, key))
                cell_format = (severity[value] if key == "severity"
                               else wrap if key == "message" else top)
                sheet.write_string(row, index, value, cell_format)
            sheet.set_row(row, 15 * _lines(finding.message, WIDTHS["message"]) + 2)
        if findings:
            sheet.autofilter(2, 0, 2 + len(findings), len(columns) - 1)
        sheet.freeze_panes(3, 0)
        print_ready(sheet, header_row=2)

        summary = book.add_worksheet("Files")
        summary.write(0, 0, "Files checked", title)
        # The form's whole title shows; each header clear of the next.
        form_width = max([44, *(len(form) + 2 for _, form, *_ in files)])
        for index, (text, width) in enumerate((("File", 34), ("Form", form_width),
                                               ("Forms read", 12), ("Errors", 8),
                                               ("Warnings", 10))):
            summary.write(2, index, text, header)
            summary.set_column(index, index, width)
        for row, (name, form, count, errors, warnings) in enumerate(files, start=3):
            summary.write_string(row, 0, name)
            summary.write_string(row, 1, form)
            summary.write_number(row, 2, count)
            summary.write_number(row, 3, errors)
            summary.write_number(row, 4, warnings)
        summary.freeze_panes(3, 0)
        print_ready(summary, header_row=2)
    return out


def _shown(finding: Finding, key: str) -> object:
    """A finding's field as a findings table shows it: the severity capitalised, a day value
    in the books' date style, text a cell can hold."""
    if key == "severity":
        return str(finding.severity).capitalize()
    value = getattr(finding, key)
    return _text(day_words(value) if key == "value" and isinstance(value, str) else value)


def _anchor(sheet: Any, ref: str) -> str:
    """The cell that holds a merged range's value and comment (the range's first cell)."""
    for merged in sheet.merged_cells.ranges:
        if ref in merged:
            return str(merged.start_cell.coordinate)
    return ref


def _text(value: object) -> object:
    """Text a cell can hold: control characters (which the file format cannot store) shown as
    escapes, and no more than a cell holds."""
    if not isinstance(value, str):
        return value
    return printable_in_cell(value)[:MAX_CELL_TEXT]


def _lines(text: str, width: float) -> int:
    """About how many lines a wrapped text takes in a column of ``width`` characters."""
    return max(1, -(-len(text) // int(width * 1.1)))
