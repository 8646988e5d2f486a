"""Writing workbooks safely: atomically, never over a book that is open, text never a formula.

XlsxWriter is used where a book is written from scratch (it is about twice as fast as
openpyxl on large sheets); its workbook options here make every string from data a string.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.workbook import Workbook

from clusterbook.domain.errors import WorkbookError
from clusterbook.styles import HEADER, TITLE_SIZE

if TYPE_CHECKING:
    from clusterbook.excel.sheet_rows import SheetRows

#: Options that keep data as data: no string ever turns into a formula, number or link.
SAFE_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": False,
}


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel ('~$name') and LibreOffice ('.~lock.name#') keep beside an open
    book."""
    # Excel names its owner file '~$' + the name, or for longer names replaces its first two
    # characters.
    candidates = {path.with_name("~$" + path.name), path.with_name("~$" + path.name[2:]),
                  path.with_name(f".~lock.{path.name}#")}
    return sorted(candidate for candidate in candidates if candidate.exists())


def ensure_writable(path: Path) -> None:
    """Raise a clear WorkbookError when ``path`` is open in Excel or LibreOffice, or its folder
    cannot be written."""
    if lock_files(path):
        raise WorkbookError(path.name, "the book is open in Excel or LibreOffice; close it and "
                                       "run again (nothing was written)")
    folder = path.parent if str(path.parent) else Path(".")
    if folder.exists() and not os.access(folder, os.W_OK):
        raise WorkbookError(path.name, f"the folder {folder} cannot be written to")


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_NEW_FILE_MODE = _new_file_mode()


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds.

    A crash or an error leaves the previous file as it was, never a half-written one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ensure_writable(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".part",
                                         dir=path.parent)
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        # mkstemp makes a private file; the result gets the mode a new file would have (or
        # keeps the mode of the file it replaces), so colleagues sharing the folder can read it.
        os.chmod(temporary_path, path.stat().st_mode & 0o7777 if path.exists()
                 else _NEW_FILE_MODE)
        try:
            os.replace(temporary_path, path)
        except PermissionError:
            raise WorkbookError(path.name, "the book is open or locked by another program; "
                                           "close it and run again (nothing was written)") \
                from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary_path.unlink()


@contextlib.contextmanager
def new_workbook(path: Path | str, *, rows: Sequence[SheetRows] = (),
                 **options: Any) -> Iterator[Workbook]:
    """An XlsxWriter workbook written atomically to ``path`` with data-safe options.

    ``rows`` (a list the block may fill) are long sheets' data rows, put into the saved book
    as worksheet XML (see :mod:`clusterbook.excel.sheet_rows`) before it replaces ``path``."""
    with atomic_path(path) as temporary:
        book = xlsxwriter.Workbook(str(temporary), {**SAFE_OPTIONS, **options})
        try:
            yield book
        finally:
            book.close()
        if rows:
            from clusterbook.excel.sheet_rows import fill_rows  # NumPy only for such books

            fill_rows(temporary, rows)


#: The one date style of every book: dates as 31/12/2025, moments as 31/12/2025 14:05 (UTC
#: moments say so in their column's header).
DATE_FORMAT = "dd/mm/yyyy"
MOMENT_FORMAT = "dd/mm/yyyy hh:mm"
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_STAMP_LAYOUT = "%Y-%m-%dT%H:%M:%SZ"


def stamp_moment(value: object) -> dt.datetime | None:
    """The moment of a UTC time stamp as ClusterBook records it ('2025-12-31T14:05:09Z'), to
    be written as a date-time cell; None for any other value."""
    if isinstance(value, str) and _STAMP.fullmatch(value):
        return dt.datetime.strptime(value, _STAMP_LAYOUT)
    return None


def stamp_words(value: str) -> str:
    """A UTC time stamp in a sentence, in the books' date style: '31/12/2025 14:05 UTC'."""
    moment = stamp_moment(value)
    return f"{moment:%d/%m/%Y %H:%M} UTC" if moment is not None else value


_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")


def day_words(value: str) -> str:
    """A day written as ClusterBook's findings record it ('2025-12-31'), in the books' date
    style: '31/12/2025'; any other text as it is."""
    if _ISO_DAY.fullmatch(value):
        try:
            return f"{dt.date.fromisoformat(value):%d/%m/%Y}"
        except ValueError:
            return value
    return value


def stamp_text(value: object) -> object:
    """A time stamp read back from a date-time cell, as ClusterBook records it; other values
    as they are."""
    if isinstance(value, dt.datetime):
        return value.strftime(_STAMP_LAYOUT)
    return value


FORMULA_STARTS = ("=", "+", "-", "@")


def set_cell(cell: Any, value: object) -> None:
    """Put a value in an openpyxl cell; text that looks like a formula stays text."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"


A4 = 9


#: What every printed page carries at its foot: the sheet's name (left), 'Page n of N' (right).
FOOTER = ("&A", "Page &P of &N")


def print_ready(sheet: Any, *, header_row: int | None = None, landscape: bool = True) -> None:
    """Set an XlsxWriter sheet to print on A4, fitted to the page width, header repeated."""
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.set_footer(f"&L{FOOTER[0]}&R{FOOTER[1]}")
    if header_row is not None:
        sheet.repeat_rows(header_row)


class BookFormats:
    """The formats every ClusterBook book shares, so titles, notes and headers look alike;
    each book adds its own in a subclass."""

    def __init__(self, book: Workbook) -> None:
        add = book.add_format
        self.title = add({"bold": True, "font_size": TITLE_SIZE, "font_color": HEADER.fill})
        self.subtitle = add({"bold": True, "font_size": 12, "font_color": HEADER.fill})
        self.note = add({"italic": True, "font_color": "595959"})
        self.wrapped_note = add({"italic": True, "font_color": "595959", "text_wrap": True,
                                 "valign": "top"})
        self.header = add({"bold": True, "bg_color": HEADER.fill, "font_color": HEADER.text,
                           "text_wrap": True, "valign": "vcenter", "border": 1,
                           "border_color": "FFFFFF"})
