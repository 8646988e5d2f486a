"""Targets of ClusterBook's buttons in Excel.

The buttons are VBA modules kept as text in the 'macros' folder; each calls one function here
through the xlwings add-in, e.g. ``RunPython "import clusterbook.macros;
clusterbook.macros.refresh_flags()"``. A target is thin: it takes the book that pressed the
button (``xw.Book.caller()``), hands its values to a ClusterBook job and writes the answer
back. A problem with the data is shown in a message box as a sentence, never a traceback.

A target changes nothing but what its button is for: Refresh flags writes its 'Flags' sheet;
Validate writes its 'Validation' sheet and the highlight of the cells it lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd
import xlwings as xw

from clusterbook.domain.errors import ClusterBookError
from clusterbook.domain.findings import Finding, Severity
from clusterbook.forms.cells import column_index, column_letter, sheet_ref
from clusterbook.jobs.flags import FlagsRequest, OpenBook, run_flags
from clusterbook.jobs.validate import BookCheckRequest, check_book
from clusterbook.reports.flags_book import FLAG_COLUMNS
from clusterbook.styles import FINDING_COLOURS, HEADER

#: The sheet Refresh flags writes, and the title that marks it as ClusterBook's own.
FLAGS_SHEET: Final = "Flags"
FLAGS_TITLE: Final = "ClusterBook flags"
MESSAGE_TITLE: Final = "ClusterBook"

Rows = list[list[Any]]


def refresh_flags() -> None:
    """Button 'Refresh flags': flag every cluster of the book's round data and write each
    cluster's status in the last round to the 'Flags' sheet, highest priority first."""
    book = xw.Book.caller()
    try:
        names = [sheet.name for sheet in book.sheets]
        if FLAGS_SHEET in names:
            _check_ours(book.sheets[FLAGS_SHEET], FLAGS_TITLE, "Refresh flags")
        values = flags_sheet(book.name, ((sheet.name, sheet_values(sheet))
                                         for sheet in book.sheets if sheet.name != FLAGS_SHEET))
        sheet = (book.sheets[FLAGS_SHEET] if FLAGS_SHEET in names
                 else book.sheets.add(FLAGS_SHEET, after=book.sheets[len(names) - 1]))
        sheet.clear_contents()
        sheet.range("A1").value = values
    except ClusterBookError as error:
        book.app.alert(str(error), title=MESSAGE_TITLE, mode="critical")


def sheet_values(sheet: Any) -> Rows:
    """A sheet's cells from A1 to the end of its used range, as rows ('' when empty)."""
    used = sheet.used_range
    rows = used.options(ndim=2).value
    left = [""] * (used.column - 1)
    top = [[""] * (len(left) + len(rows[0]))] * (used.row - 1)
    return top + [left + ["" if value is None else value for value in row] for row in rows]


def _check_ours(sheet: Any, title: str, button: str) -> None:
    """Refuse to overwrite a sheet of the button's name that ClusterBook did not write."""
    if sheet.range("A1").value not in (None, title):
        raise ClusterBookError(f"the book already has a sheet named '{sheet.name}' that "
                               f"ClusterBook did not write; rename it and press {button} "
                               f"again (nothing was changed)")


def flags_sheet(book_name: str, sheets: Iterable[tuple[str, Rows]], *,
                now: dt.datetime | None = None, **rules: Any) -> Rows:
    """The values of the 'Flags' sheet for the round data found in ``sheets``.

    Rows: the title, a line saying what this is, a blank row, the headers, then one row per
    cluster (its status in the last round), listed clusters by priority first. ``rules`` are
    the rule's parameters (:class:`clusterbook.jobs.flags.FlagsRequest`).
    """
    result = run_flags(FlagsRequest(OpenBook(book_name, sheets), rules=rules))
    rounds, source = result.rounds, result.table
    assert source is not None
    current = result.statuses_at()
    columns = [(key, header) for key, header, *_ in FLAG_COLUMNS if key in current.columns]
    when = (now or dt.datetime.now()).strftime("%d/%m/%Y %H:%M")
    note = (f"Status in {rounds[-1]}, highest priority first, from sheet '{source.sheet}' "
            f"({len(current):,} clusters, {len(rounds)} rounds). Refreshed {when}.")
    body = [_cells(current[key]) for key, _ in columns]
    width = len(columns)
    # Excel takes a block of equal rows, so the lines above the table are padded.
    return [_padded([FLAGS_TITLE], width), _padded([as_text(note)], width), [None] * width,
            [header for _, header in columns], *map(list, zip(*body, strict=True))]


def _padded(values: list[Any], width: int) -> list[Any]:
    return values + [None] * (width - len(values))


def _cells(column: pd.Series) -> list[Any]:
    return [None if pd.isna(value) or value == "" else value.item() if hasattr(value, "item")
            else as_text(value) if isinstance(value, str) else value
            for value in column.astype(object).tolist()]


def as_text(value: str) -> str:
    """Text Excel keeps as typed: the leading apostrophe stops '=...' becoming a formula and
    '0123' a number (Excel shows the text without it)."""
    return "'" + value


# -- Validate this microplan -------------------------------------------------------------------

#: The sheet Validate writes, and the title that marks it as ClusterBook's own.
VALIDATION_SHEET: Final = "Validation"
VALIDATION_TITLE: Final = "ClusterBook validation"
#: The findings table: its header row and columns.
VALIDATION_HEADERS: Final = ("Severity", "Sheet", "Cell", "Message", "Rule")
VALIDATION_WIDTHS: Final = (10, 16, 8, 90, 22)
HEADER_ROW: Final = 4
#: Where the sheet keeps each highlighted cell and the fill it had before (hidden columns), so
#: that the next check gives the cell its fill back.
HIGHLIGHT_HEADERS: Final = ("Highlighted sheet", "Highlighted cell", "Fill before")
HIGHLIGHT_COLUMNS: Final = "H:J"
_NO_FILL: Final = "none"
_ALIGN_TOP: Final = -4160  # Excel's xlTop
#: The protection settings a sheet keeps when highlighting unprotects it for a moment.
_ALLOWANCES: Final = ("AllowFormattingCells", "AllowFormattingColumns", "AllowFormattingRows",
                      "AllowInsertingColumns", "AllowInsertingRows", "AllowInsertingHyperlinks",
                      "AllowDeletingColumns", "AllowDeletingRows", "AllowSorting",
                      "AllowFiltering", "AllowUsingPivotTables")


def validate_microplan() -> None:
    """Button 'Validate this microplan': check the book as ``clusterbook validate`` checks a
    file (what it holds now, saved or not), list the findings on the sheet 'Validation' with a
    link to each cell, and highlight those cells (red: error, amber: warning). The cells
    highlighted by the previous check get their fill back first. Works for every ClusterBook
    form (the action plan too)."""
    book = xw.Book.caller()
    try:
        names = [sheet.name for sheet in book.sheets]
        old = book.sheets[VALIDATION_SHEET] if VALIDATION_SHEET in names else None
        if old is not None:
            _check_ours(old, VALIDATION_TITLE, "Validate")
        sheets = {sheet.name: sheet_values(sheet) for sheet in book.sheets
                  if sheet.name != VALIDATION_SHEET}
        findings = check_book(BookCheckRequest(book.name, sheets))
        previous = [] if old is None else highlighted_before(sheet_values(old))
        restored = unhighlight(book, previous)
        highlights, skipped = highlight(book, findings)
        # After the form's last sheet; the hidden sheets ('_clusterbook') come last.
        last = [name for name in names if not name.startswith("_")] or names
        sheet = old or book.sheets.add(VALIDATION_SHEET, after=book.sheets[last[-1]])
        _write_validation_sheet(sheet, validation_sheet(
            book.name, findings, highlights, skipped, set(sheets), left=restored))
        sheet.activate()
    except ClusterBookError as error:
        book.app.alert(str(error), title=MESSAGE_TITLE, mode="critical")


@dataclass(frozen=True)
class Highlight:
    """A cell the check highlighted, and the fill it had ('#rrggbb', or None for no fill)."""

    sheet: str
    cell: str
    before: str | None


def _fill(colour: Any) -> str | None:
    """xlwings' colour of a cell, (r, g, b) or None, as '#rrggbb' or None."""
    if colour is None:
        return None
    if isinstance(colour, str):
        return colour.lower()
    red, green, blue = colour
    return f"#{red:02x}{green:02x}{blue:02x}"


HIGHLIGHT_FILLS: Final = {severity: f"#{colour.fill}".lower()
                          for severity, colour in FINDING_COLOURS.items()}


def highlight(book: Any, findings: Sequence[Finding]) -> tuple[list[Highlight], list[str]]:
    """Fill the cell of every finding (red for an error, amber for a warning; an error wins);
    returns the cells filled, with their fill before, and the sheets that could not be
    (protected with a password)."""
    worst: dict[tuple[str, str], Severity] = {}
    names = {sheet.name for sheet in book.sheets}
    for finding in findings:
        if finding.sheet in names and finding.cell and finding.sheet != VALIDATION_SHEET:
            where = (finding.sheet, finding.cell.split(":")[0])
            if worst.get(where) is not Severity.ERROR:
                worst[where] = finding.severity
    done, skipped = [], []
    for sheet_name in dict.fromkeys(sheet for sheet, _ in worst):
        sheet = book.sheets[sheet_name]
        with formattable(sheet) as allowed:
            if not allowed:
                skipped.append(sheet_name)
                continue
            for (name, cell), severity in worst.items():
                if name != sheet_name:
                    continue
                target = sheet.range(cell)
                done.append(Highlight(name, cell, _fill(target.color)))
                target.color = HIGHLIGHT_FILLS[str(severity)]
    return done, skipped


def unhighlight(book: Any, highlights: Sequence[Highlight]) -> list[Highlight]:
    """Give the cells highlighted by the previous check their fill back, unless someone has
    changed the fill since; returns the highlights that could not be undone (to try again)."""
    names = {sheet.name for sheet in book.sheets}
    left = []
    ours = set(HIGHLIGHT_FILLS.values())
    for sheet_name in dict.fromkeys(item.sheet for item in highlights):
        if sheet_name not in names:
            continue
        sheet = book.sheets[sheet_name]
        with formattable(sheet) as allowed:
            for item in highlights:
                if item.sheet != sheet_name:
                    continue
                if not allowed:
                    left.append(item)
                    continue
                target = sheet.range(item.cell)
                if _fill(target.color) in ours:
                    target.color = item.before
    return left


@contextmanager
def formattable(sheet: Any) -> Iterator[bool]:
    """Let the fill of a sheet's cells change for a moment: a sheet protected without a
    password (as the templates are) is unprotected and protected again with the same
    settings. Yields False for a sheet protected with a password."""
    api = sheet.api
    if not api.ProtectContents:
        yield True
        return
    allowed = {name: bool(getattr(api.Protection, name)) for name in _ALLOWANCES}
    kept = {"DrawingObjects": bool(api.ProtectDrawingObjects),
            "Scenarios": bool(api.ProtectScenarios)}
    try:
        api.Unprotect()
    except Exception:  # Excel refuses without the password (a COM error)
        yield False
        return
    try:
        yield True
    finally:
        api.Protect(Contents=True, **kept, **allowed)


def highlighted_before(rows: Rows) -> list[Highlight]:
    """The highlights a previous check recorded on the Validation sheet."""
    first = column_index(HIGHLIGHT_COLUMNS.split(":")[0]) - 1
    found = []
    for row in rows[HEADER_ROW:]:
        sheet, cell, before = (list(row) + [None] * (first + 3))[first:first + 3]
        if sheet and cell:
            found.append(Highlight(_plain(sheet), _plain(cell),
                                   None if before in ("", None, _NO_FILL) else str(before)))
    return found


def _plain(value: Any) -> str:
    text = str(value)
    return text[1:] if text.startswith("'") else text


def validation_sheet(book_name: str, findings: Sequence[Finding],
                     highlights: Sequence[Highlight], skipped: Sequence[str],
                     sheets: Iterable[str], *, left: Sequence[Highlight] = (),
                     now: dt.datetime | None = None) -> Rows:
    """The values of the 'Validation' sheet: the title, a summary, a blank row, the header and
    one row per finding (its cell a link to the cell), with the highlight record beside."""
    errors = sum(1 for finding in findings if finding.severity is Severity.ERROR)
    warnings = len(findings) - errors
    when = (now or dt.datetime.now()).strftime("%d/%m/%Y %H:%M")
    counts = (f"{_count(errors, 'error')} and {_count(warnings, 'warning')}" if findings
              else "no problems found")
    summary = f"{book_name}: {counts} (checked {when})."
    if skipped:
        summary += (f" Cells on {', '.join(repr(name) for name in skipped)} are not "
                    f"highlighted: the sheet is protected with a password.")
    advice = ("Errors must be corrected before the file is sent. The cells are highlighted on "
              "their sheets (red: error, amber: warning); click a cell to go there, and press "
              "Validate again when done." if findings else None)
    known = set(sheets)
    width = len(VALIDATION_HEADERS) + 2 + len(HIGHLIGHT_HEADERS)
    record = [*highlights, *left]
    rows: Rows = [_padded([VALIDATION_TITLE], width), _padded([as_text(summary)], width),
                  _padded([advice], width), [*VALIDATION_HEADERS, None, None, *HIGHLIGHT_HEADERS]]
    for index in range(max(len(findings), len(record))):
        line: list[Any] = [None] * width
        if index < len(findings):
            finding = findings[index]
            line[:5] = [str(finding.severity).capitalize(), as_text(finding.sheet) if
                        finding.sheet else None, _cell_link(finding, known),
                        as_text(finding.message), finding.rule]
        if index < len(record):
            item = record[index]
            line[-3:] = [as_text(item.sheet), item.cell, item.before or _NO_FILL]
        rows.append(line)
    return rows


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _cell_link(finding: Finding, sheets: set[str]) -> str | None:
    """The finding's cell as a link to it (a formula of ours: the sheet name is quoted as a
    text), or the cell as text when its sheet is not in the book."""
    if not finding.cell:
        return None
    if finding.sheet not in sheets:
        return finding.cell
    target = sheet_ref(finding.sheet, finding.cell.split(":")[0]).replace('"', '""')
    return f'=HYPERLINK("#{target}","{finding.cell}")'


def _write_validation_sheet(sheet: Any, rows: Rows) -> None:
    """Write the Validation sheet's values in one go, then its few formats."""
    sheet.clear()
    for index, width in enumerate(VALIDATION_WIDTHS):
        column = column_letter(index + 1)
        sheet.range(f"{column}:{column}").column_width = width
    sheet.range(HIGHLIGHT_COLUMNS).api.EntireColumn.Hidden = True
    page = sheet.api.PageSetup  # printed: landscape, as wide as one page
    page.Orientation, page.Zoom, page.FitToPagesWide, page.FitToPagesTall = 2, False, 1, False
    sheet.range("A1").value = rows
    sheet.range("A1").font.bold = True
    header = sheet.range(f"A{HEADER_ROW}:E{HEADER_ROW}")
    header.color = f"#{HEADER.fill}"
    header.font.bold = True
    header.font.color = f"#{HEADER.text}"
    last = len(rows)
    if last > HEADER_ROW:
        sheet.range(f"D{HEADER_ROW + 1}:D{last}").wrap_text = True
        body = sheet.range(f"A{HEADER_ROW + 1}:E{last}")
        body.api.VerticalAlignment = _ALIGN_TOP
        body.rows.autofit()
    for row, line in enumerate(rows[HEADER_ROW:], start=HEADER_ROW + 1):
        severity = str(line[0] or "").lower()
        if severity in HIGHLIGHT_FILLS:
            sheet.range(f"A{row}").color = HIGHLIGHT_FILLS[severity]


# -- Merge the submissions in a folder ---------------------------------------------------------

#: The review book the button writes, beside the folder of submissions.
REVIEW_BOOK_NAME: Final = "review-book.xlsx"
_FOLDER_PICKER: Final = 4  # Excel's msoFileDialogFolderPicker
_PICKED: Final = -1


def merge_submissions() -> None:
    """Button 'Merge the submissions in a folder': ask for the folder, merge every submission
    in it into ``review-book.xlsx`` beside it (the reviewers' feedback in an existing one is
    kept), show the progress in Excel's status bar, then open the review book.

    Pressed in the campaign data book, the book (as last saved) is the cluster list, so that
    the review book knows which clusters are expected and which are low performing.
    """
    from pathlib import Path

    from clusterbook.forms.databook import DATABOOK
    from clusterbook.jobs.merge import MergeRequest, merge_folder

    book = xw.Book.caller()
    app = book.app
    try:
        folder = choose_folder(app, "Choose the folder of submissions to merge")
        if folder is None:
            return
        saved = Path(book.fullname)
        clusters = saved if form_id_of(book) == DATABOOK.form_id and saved.is_file() else None
        out = Path(folder).parent / REVIEW_BOOK_NAME

        def progress(done: int, total: int, message: str) -> None:
            app.status_bar = f"ClusterBook: {message}"

        try:
            result = merge_folder(MergeRequest(Path(folder), out, clusters,
                                               review_when_up_to_date=False), progress)
        finally:
            app.status_bar = False  # Excel's own status bar again
        app.books.open(str(out))
        app.alert(result.summary(), title=MESSAGE_TITLE)
    except ClusterBookError as error:
        app.alert(str(error), title=MESSAGE_TITLE, mode="critical")


def choose_folder(app: Any, title: str) -> str | None:
    """A folder picked in Excel's own folder dialog, or None when the user cancels."""
    dialog = app.api.FileDialog(_FOLDER_PICKER)
    dialog.Title = title
    if dialog.Show() != _PICKED:
        return None
    return str(dialog.SelectedItems(1))


def form_id_of(book: Any) -> str:
    """The form id recorded in a ClusterBook workbook ('' for any other book)."""
    from clusterbook.forms.schema import FORM_SHEET

    if FORM_SHEET not in [sheet.name for sheet in book.sheets]:
        return ""
    value = book.sheets[FORM_SHEET].range("B1").value
    return str(value or "")
