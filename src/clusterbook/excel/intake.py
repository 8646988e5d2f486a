"""The intake: a path becomes a source that is found, fingerprinted once, opened once and
bounded by what is actually in it, whatever a district sends.

:func:`take` looks at the path without opening anything that could block (a pipe, a device, a
broken link), reads the bytes once (the fingerprint and every later read use those bytes), and
checks the package from them: the zip directory, each part's compression method and encryption
flag, the bytes each part really unpacks to (never the sizes the directory claims), document
type declarations, and how many shared strings there really are (a package whose count claims
more than it holds is repaired in memory, so no reader allocates from a claim).
:func:`open_intake` then opens the book from those bytes; each sheet is checked when it is
read, before the reader makes a grid of it: the bytes it really unpacks to and how far its
cells really reach (:func:`check_sheet`). Every problem is a :class:`WorkbookError` naming the
file, kept on the intake as its one finding: one file never ends a run.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import operator
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from xml.parsers import expat

import python_calamine as calamine

from clusterbook.domain.errors import WorkbookError
from clusterbook.domain.outcomes import Outcome, outcome_of, printable
from clusterbook.forms.cells import column_index, column_letter

_OLE_SIGNATURE: Final = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_SIGNATURE: Final = b"PK\x03\x04"
#: A submitted file larger than this is not read at all (a filled form is well under 5 MB;
#: a large provincial review book some tens of MB).
MAX_FILE_BYTES: Final = 512 * 1024 * 1024
#: Bytes all parts together may really unpack to; unpacking stops there (zip bombs).
MAX_UNPACKED_BYTES: Final = 2048 * 1024 * 1024
#: Past this many bytes, a part that unpacks to more than MAX_RATIO times its packed size is a
#: bomb (deflate cannot do much better than 1000; real sheets stay well under 200).
MIN_BOMB_BYTES: Final = 64 * 1024 * 1024
MAX_RATIO: Final = 400
#: Cells a sheet may span from A1 to its farthest cell (the reader makes a full grid of it).
MAX_SHEET_CELLS: Final = 6_000_000
_CHUNK: Final = 1 << 20
_STORED, _DEFLATED = zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED
_ROOT_START: Final = re.compile(rb"<[A-Za-z_]")
_SST_COUNTS: Final = re.compile(rb'\suniqueCount="[0-9]*"')
_SHEET_ENTRY: Final = re.compile(rb"<sheet\b[^>]*>")
_ATTRIBUTE: Final = re.compile(rb'([A-Za-z:]+)="([^"]*)"')
_RELATIONSHIP: Final = re.compile(rb"<Relationship\b[^>]*>")


@dataclass
class Intake:
    """One file as found: its name for people, size, time, fingerprint and bytes (read once),
    and, when it cannot be read, the error that is its one finding."""

    path: Path
    name: str
    size: int = 0
    modified: float = 0.0
    fingerprint: str = ""
    data: bytes | None = None
    error: WorkbookError | None = None
    #: The file's name is not valid text (bytes of another code page): shown escaped.
    odd_name: bool = False
    #: Error values Excel saved in cells ('#DIV/0!'), by sheet name and (row, column), 1-based:
    #: the reader shows them as empty, the checks must not.
    cell_errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)
    #: Each worksheet's part, checked only when the sheet is read (see :class:`CheckedBook`).
    sheet_parts: dict[str, zipfile.ZipInfo] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        """READ when the package can be opened; otherwise why not."""
        return Outcome.READ if self.error is None else outcome_of(self.error.kind)

    def fail(self, error: WorkbookError) -> Intake:
        """Keep an error met later (reading the sheets) as this file's finding."""
        error.file = self.name
        self.error = error
        self.data = None
        return self


def display_name(path: Path) -> str:
    """A file's name as it can be shown and stored: bytes that are not UTF-8 (zips made on
    Windows) and control characters are written as escapes, so the name is still the file's."""
    return printable(path.name)


def is_lock_file(path: Path) -> bool:
    """Excel's '~$name.xlsx' and LibreOffice's '.~lock.name#' files mark a book that is open."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def take(path: Path | str, name: str | None = None) -> Intake:
    """Find, fingerprint and check one file (:func:`found`, then :func:`check`)."""
    return check(found(path, name))


def found(path: Path | str, name: str | None = None) -> Intake:
    """Find one file and read its bytes once, fingerprinting them. Never raises for what the
    path is: the problem is the intake's ``error``."""
    path = Path(path)
    shown = display_name(path)
    intake = Intake(path, name or shown, odd_name=shown != path.name)
    try:
        _read(intake)
    except WorkbookError as error:
        intake.fail(error)
    return intake


def check(intake: Intake) -> Intake:
    """Check the package of a file found (see :func:`checked_package`); a problem becomes the
    intake's ``error``."""
    if intake.error is None and intake.data is not None:
        try:
            intake.data = checked_package(intake.name, intake.data, intake.sheet_parts)
        except WorkbookError as error:
            intake.fail(error)
    return intake


def _read(intake: Intake) -> None:
    """Read the bytes once, after making sure the path is a regular file (opening a pipe
    would wait for a writer for ever)."""
    path, name = intake.path, intake.name
    if is_lock_file(path):
        raise WorkbookError(name, "this is a lock file that Excel leaves while a book is open, "
                                  "not a workbook", kind="lock")
    try:
        link = path.lstat()
    except FileNotFoundError:
        raise WorkbookError(name, "the file does not exist", kind="not-workbook") from None
    except OSError as error:
        raise WorkbookError(name, f"the file cannot be looked at ({error.strerror})",
                            kind="not-workbook") from None
    try:
        info = path.stat()
    except OSError:
        if stat.S_ISLNK(link.st_mode):
            raise WorkbookError(name, "this is a link to a file that does not exist (or to "
                                      "itself); it was not opened", kind="special") from None
        raise
    if stat.S_ISDIR(info.st_mode):
        raise WorkbookError(name, "this is a folder, not a workbook", kind="not-workbook")
    if not stat.S_ISREG(info.st_mode):
        what = ("a pipe (FIFO)" if stat.S_ISFIFO(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
        raise WorkbookError(name, f"this is {what}, not a file; it was not opened",
                            kind="special")
    intake.size, intake.modified = info.st_size, info.st_mtime
    if info.st_size > MAX_FILE_BYTES:
        raise WorkbookError(name, f"the file is {info.st_size / 2**20:,.0f} MB; a workbook "
                                  f"this large is not read (at most "
                                  f"{MAX_FILE_BYTES // 2**20:,} MB)", kind="too-large")
    try:
        with open(path, "rb", opener=_no_blocking) as handle:
            # As many bytes as the file has (a read sized by the ceiling would reserve it).
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
    except PermissionError:
        raise WorkbookError(name, "the file cannot be opened: permission denied",
                            kind="not-workbook") from None
    except OSError as error:
        raise WorkbookError(name, f"the file cannot be read ({error.strerror})",
                            kind="damaged") from None
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookError(name, "the file grew beyond the largest size read while it was "
                                  "being read", kind="too-large")
    intake.size = len(data)
    intake.fingerprint = hashlib.sha256(data).hexdigest()
    intake.data = data


def _no_blocking(path: str, flags: int) -> int:
    # A path swapped for a pipe after it was looked at must not block the run.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def open_intake(intake: Intake) -> CheckedBook:
    """Open the checked bytes of an intake (each sheet is checked as it is read); raises its
    error, or a WorkbookError when the reader refuses the book."""
    if intake.error is not None:
        raise intake.error
    assert intake.data is not None
    return CheckedBook(open_bytes(intake.name, intake.data), intake)


def open_bytes(name: str, data: bytes) -> calamine.CalamineWorkbook:
    """Open workbook bytes that :func:`checked_package` passed."""
    try:
        return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise WorkbookError(name, "the workbook is protected with a password",
                            kind="password") from None
    except (calamine.ZipError, calamine.XmlError, calamine.CalamineError) as error:
        raise WorkbookError(name, f"the workbook is damaged and cannot be read "
                                  f"({first_line(error)})", kind="damaged") from None
    except Exception as error:  # calamine raises plain errors for some broken parts
        raise WorkbookError(name, f"the workbook cannot be read ({first_line(error)})",
                            kind="damaged") from None


@contextlib.contextmanager
def guarded(name: str) -> Iterator[None]:
    """Any failure while a file is read becomes that file's WorkbookError (a file shaped to trip
    the reader is that file's problem, never the run's end)."""
    try:
        yield
    except WorkbookError as error:
        error.file = name
        raise
    except (MemoryError, RecursionError, ValueError, TypeError, KeyError, IndexError,
            AttributeError, OverflowError, UnicodeError, zipfile.BadZipFile, zlib.error,
            EOFError, OSError) as error:
        raise WorkbookError(name, f"the workbook cannot be read ({first_line(error)})",
                            kind="damaged") from None


def first_line(error: BaseException) -> str:
    """The first line of an error's text, printable."""
    text = str(error).strip().splitlines()
    return printable(text[0][:200]) if text else type(error).__name__


# --- the package ----------------------------------------------------------------------------------

def checked_package(name: str, data: bytes,
                    sheet_parts: dict[str, zipfile.ZipInfo] | None = None) -> bytes:
    """The bytes of a workbook that is safe to hand to the reader: the same bytes, or a copy
    whose overstated counts were corrected. Raises WorkbookError for everything else.

    Worksheets are only looked at here for what the whole package needs (compression method,
    encryption flag); their content is checked when a sheet is read (:func:`check_sheet`),
    so a sheet never read costs nothing. ``sheet_parts`` receives each sheet's part."""
    if not data:
        raise WorkbookError(name, "the file is empty (0 bytes)", kind="empty")
    if data.startswith(_OLE_SIGNATURE):
        if "EncryptedPackage".encode("utf-16-le") in data[: 1 << 20]:
            raise WorkbookError(name, "the workbook is protected with a password; save a copy "
                                      "without a password and send that", kind="password")
        raise WorkbookError(name, "this is an old .xls workbook; open it in Excel and save it "
                                  "as .xlsx", kind="not-workbook")
    if not data.startswith(_ZIP_SIGNATURE):
        raise WorkbookError(name, "this is not an Excel workbook (.xlsx)", kind="not-workbook")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise WorkbookError(name, "the file is damaged or incomplete (perhaps cut off while "
                                  "copying); send it again", kind="damaged") from None
    with package:
        try:
            return _checked(name, data, package, {} if sheet_parts is None else sheet_parts)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error, ValueError,
                OSError, NotImplementedError, RuntimeError):
            raise WorkbookError(name, "the file is damaged and cannot be read; send it again",
                                kind="damaged") from None


def _checked(name: str, data: bytes, package: zipfile.ZipFile,
             sheet_parts: dict[str, zipfile.ZipInfo]) -> bytes:
    infos = package.infolist()
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise WorkbookError(name, "this zip file is not an Excel workbook", kind="not-workbook")
    budget = _Budget(name)
    repairs: dict[str, Callable[[bytes], bytes]] = {}
    worksheets: dict[str, zipfile.ZipInfo] = {}
    kept: dict[str, _Keep] = {}
    for info in infos:
        part = info.filename
        if not _READ_PARTS.match(part):
            continue  # pictures, themes, properties: never unpacked by the reader
        _plain_part(name, info)
        if part.startswith("xl/worksheets/") and part.endswith(".xml"):
            worksheets[part] = info  # checked when the sheet is read
            continue
        scan: _Scan | None = (
            _StringScan() if part == "xl/sharedStrings.xml"
            else kept.setdefault(part, _Keep()) if part in _NAMING_PARTS else None)
        _unpack_checked(name, data, info, budget, scan)
        repair = scan.finish() if scan is not None else None
        if repair is not None:
            repairs[part] = repair
    sheet_names = _sheet_names(*(kept[part].body if part in kept else b""
                                 for part in _NAMING_PARTS))
    for part, info in worksheets.items():
        sheet = sheet_names.get(part)
        if sheet is not None:
            sheet_parts[sheet] = info
        else:  # a worksheet no sheet names (a package put together by hand): checked now
            scan = _SheetScan(name, part)
            _unpack_checked(name, data, info, budget, scan)
            scan.finish()
    if not repairs:
        return data
    repacked = _repacked(package, repairs)
    with zipfile.ZipFile(io.BytesIO(repacked)) as copy:  # the sheets moved in the copy
        for sheet, info in list(sheet_parts.items()):
            sheet_parts[sheet] = copy.getinfo(info.filename)
    return repacked


def _plain_part(name: str, info: zipfile.ZipInfo) -> None:
    """Refuse a part that is encrypted or compressed as Excel never does."""
    if info.flag_bits & 0x1:
        raise WorkbookError(name, f"part '{printable(info.filename)}' of the workbook is "
                                  f"encrypted; Excel never writes that. Open the file, "
                                  f"save it again without a password and send that",
                            kind="password")
    if info.compress_type not in (_STORED, _DEFLATED):
        raise WorkbookError(name, f"part '{printable(info.filename)}' is compressed with a "
                                  f"method Excel never uses (method {info.compress_type}); "
                                  f"open the file in Excel, save it again and send that",
                            kind="damaged")


def _unpack_checked(name: str, data: bytes, info: zipfile.ZipInfo, budget: _Budget,
                    scan: _Scan | None) -> None:
    """Unpack a part chunk by chunk (never whole), refusing a DOCTYPE, feeding a scan."""
    prolog = _Prolog()
    for chunk in _chunks(data, info, budget):
        if prolog.open:
            prolog.feed(chunk)
            if prolog.doctype:
                raise WorkbookError(name, "the workbook contains an XML document type "
                                          "declaration (a possible XML bomb); it was not "
                                          "opened", kind="bomb")
        if scan is not None:
            scan.feed(chunk)


def check_sheet(intake: Intake, sheet: str) -> None:
    """Check one worksheet's part before the reader makes a grid of it: a bomb, a DOCTYPE, cells
    that really reach too far; note its saved error values. Raises WorkbookError."""
    info = intake.sheet_parts.pop(sheet, None)
    if info is None or intake.data is None:
        return
    scan = _SheetScan(intake.name, sheet)
    try:
        _unpack_checked(intake.name, intake.data, info, _Budget(intake.name), scan)
    except (zipfile.BadZipFile, EOFError, zlib.error, ValueError, OSError):
        raise WorkbookError(intake.name, f"sheet '{printable(sheet)}' is damaged and cannot be "
                                         f"read; send the file again", kind="damaged") from None
    scan.finish()
    if scan.errors:
        intake.cell_errors[sheet] = scan.errors


class CheckedBook:
    """A workbook open in the reader whose sheets are checked as they are read."""

    def __init__(self, book: calamine.CalamineWorkbook, intake: Intake) -> None:
        self._book = book
        self.intake = intake

    @property
    def sheet_names(self) -> list[str]:
        return list(self._book.sheet_names)

    def get_sheet_by_name(self, name: str) -> calamine.CalamineSheet:
        """The sheet, after its part has been checked."""
        check_sheet(self.intake, name)
        return self._book.get_sheet_by_name(name)

    def close(self) -> None:
        self._book.close()


class _Budget:
    """The bytes the parts of one file may really unpack to."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.left = MAX_UNPACKED_BYTES

    def spend(self, info: zipfile.ZipInfo, chunk: int, unpacked: int, packed: int) -> None:
        """Count a chunk of a part; a bomb when the file's budget is spent, or when the part
        has unpacked to far more than its packed bytes could honestly hold."""
        self.left -= chunk
        if self.left < 0 or (unpacked > MIN_BOMB_BYTES and unpacked > packed * MAX_RATIO):
            raise WorkbookError(self.name, f"part '{printable(info.filename)}' unpacks to far "
                                           f"more than a workbook holds (a zip bomb); it was "
                                           f"not opened", kind="bomb")


def _chunks(data: bytes, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """A part's bytes as really unpacked, chunk by chunk, stopping as soon as they go beyond
    what a workbook holds (whatever sizes the zip directory claims)."""
    offset = info.header_offset
    header = data[offset:offset + 30]
    if len(header) < 30 or header[:4] != _ZIP_SIGNATURE:
        raise zipfile.BadZipFile(info.filename)
    start = offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(
        header[28:30], "little")
    raw = memoryview(data)[start:start + info.compress_size]
    if info.compress_type == _STORED:
        for position in range(0, len(raw), _CHUNK):
            chunk = bytes(raw[position:position + _CHUNK])
            budget.spend(info, len(chunk), 0, 1 << 62)
            yield chunk
        return
    inflater = zlib.decompressobj(-15)
    unpacked = position = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            piece = inflater.unconsumed_tail
        elif position < len(raw):
            piece = bytes(raw[position:position + _CHUNK])
            position += _CHUNK
        else:
            raise zipfile.BadZipFile(info.filename)  # the stream is cut off
        chunk = inflater.decompress(piece, _CHUNK)
        unpacked += len(chunk)
        budget.spend(info, len(chunk), unpacked, min(position, len(raw)))
        if chunk:
            yield chunk


class _Prolog:
    """Watches the start of an XML part for a DOCTYPE before its root element (where entity
    bombs live), parsing without expanding anything and only up to the root element."""

    def __init__(self) -> None:
        self.open = True
        self.doctype = False
        self._parser: Any = None

    def feed(self, chunk: bytes) -> None:
        if self._parser is None:
            start = _ROOT_START.search(chunk, 0, 4096)
            if start is not None and b"<!" not in chunk[:start.start()]:
                self.open = False  # the usual case: a declaration, then the root element
                return
            self._parser = expat.ParserCreate()
            self._parser.StartDoctypeDeclHandler = self._found
            self._parser.EntityDeclHandler = self._found
            self._parser.StartElementHandler = self._root
        try:
            # In small pieces: the parser stops at the first declaration, before it would
            # take in (and expand) what follows.
            for offset in range(0, len(chunk), 4096):
                self._parser.Parse(chunk[offset:offset + 4096], False)
        except _Stop:
            self.open = False
        except expat.ExpatError:
            self.open = False  # not well-formed: the reader refuses it

    def _found(self, *_: object) -> None:
        self.doctype = True
        raise _Stop

    def _root(self, *_: object) -> None:
        raise _Stop


class _Stop(Exception):
    """Enough of the XML prolog was seen."""


class _Scan:
    """Reads a part chunk by chunk, cut at element boundaries, keeping only what it counts."""

    def __init__(self) -> None:
        self._carry = b""
        self.head = b""

    def feed(self, chunk: bytes) -> None:
        text = self._carry + chunk
        if not self.head:
            self.head = text[:4096]
        cut = text.rfind(b">") + 1
        if cut == 0 and len(text) < _CHUNK * 4:
            self._carry = text
            return
        cut = cut or len(text)
        self._carry = text[cut:]
        self.scan(text[:cut])

    def scan(self, text: bytes) -> None:
        raise NotImplementedError

    def finish(self) -> Callable[[bytes], bytes] | None:
        raise NotImplementedError


class _SheetScan(_Scan):
    """How far a sheet's cells really reach from A1."""

    def __init__(self, file: str, sheet: str) -> None:
        super().__init__()
        self.file, self.sheet = file, sheet
        self.rows = self.columns = self.placed = self.elements = 0
        self.errors: dict[tuple[int, int], str] = {}

    def scan(self, text: bytes) -> None:
        # One regular expression over the whole text, then max() and set() over its list: a
        # sheet of many cells costs little.
        references = _REFERENCE.findall(text)  # of rows and cells alike
        if references:
            self.placed += len(references)
            self.rows = max(self.rows, max(map(int, map(_second, references))))
            letters = set(map(_first, references))
            letters.discard(b"")
            if letters:
                widest = max(letters, key=lambda text: (len(text), text))
                self.columns = max(self.columns, _column(widest))
        # Elements that may be cells or rows (a few others such as <col> are counted too,
        # which only makes the bound safer).
        self.elements += text.count(b"<c") + text.count(b"<row")
        if b't="e"' in text:
            for cell in _ERROR_CELL.finditer(text):
                value = cell.group(3).decode("utf-8", "replace")[:20]
                self.errors[(int(cell.group(2)), _column(cell.group(1)))] = value

    def finish(self) -> Callable[[bytes], bytes] | None:
        if self._carry:
            self.scan(self._carry)
        # Cells and rows without a reference take the next place: at most one each.
        unplaced = max(self.elements - self.placed, 0)
        rows, columns = self.rows + unplaced, self.columns + unplaced
        if rows * max(columns, 1) > MAX_SHEET_CELLS:
            where = (f"row {self.rows:,}, column {column_letter(min(self.columns, 16384))}"
                     if self.columns else f"row {rows:,}")
            raise WorkbookError(self.file, f"sheet '{printable(self.sheet)}' has something as "
                                           f"far as {where} ({rows:,} rows by {columns:,} "
                                           f"columns); a form never reaches that far. Delete the "
                                           f"rows and columns after the form, save and send the "
                                           f"file again", kind="too-large")
        # The dimension a sheet claims is not looked at: the reader sizes the grid from the
        # cells, and so does this check.
        return None


class _StringScan(_Scan):
    """How many shared strings there really are, beside how many the part claims are unique
    (the reader sizes its table from that claim; 'count', the uses, it leaves alone)."""

    def __init__(self) -> None:
        super().__init__()
        self.items = 0

    def scan(self, text: bytes) -> None:
        self.items += text.count(b"<si")

    def finish(self) -> Callable[[bytes], bytes] | None:
        if self._carry:
            self.scan(self._carry)
        start = self.head.find(b"<sst")
        end = self.head.find(b">", start)
        if start < 0 or end < 0:
            return None
        claims = [int(value) for value in _SST_CLAIM.findall(self.head[start:end])]
        if not claims or max(claims) <= self.items * 2 + 16:
            return None
        return _without(_SST_COUNTS)


#: The parts that say which part holds which sheet.
_NAMING_PARTS: Final = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


class _Keep(_Scan):
    """Keeps the first MB of a part (the workbook and its relations)."""

    def __init__(self) -> None:
        super().__init__()
        self.body = b""

    def feed(self, chunk: bytes) -> None:
        if len(self.body) < 1 << 20:
            self.body += chunk[: (1 << 20) - len(self.body)]

    def finish(self) -> Callable[[bytes], bytes] | None:
        return None


def _without(pattern: re.Pattern[bytes]) -> Callable[[bytes], bytes]:
    """A change to the first chunk of a part: the overstated claim taken out."""
    def change(head: bytes) -> bytes:
        return pattern.sub(b"", head, count=2)
    return change


#: Every reference, r="12" on a row and r="AB12" on a cell (only rows and cells carry an 'r'
#: attribute in a sheet's data). The sheet's raw XML bytes are scanned, unparsed and undecoded,
#: for speed on large parts, so the reference is found with a bytes pattern here; its letters
#: become a column number through :mod:`clusterbook.forms.cells` (:func:`_column`).
_REFERENCE: Final = re.compile(rb' r="([A-Z]{0,3})([0-9]{1,9})"')
_first, _second = operator.itemgetter(0), operator.itemgetter(1)
#: The parts the reader unpacks (their content is checked); the others are never opened.
_READ_PARTS: Final = re.compile(
    r"\[Content_Types\]\.xml$|xl/[^/]+\.xml$|xl/_rels/|xl/worksheets/[^/]+\.xml$|"
    r"xl/worksheets/_rels/|xl/tables/")


def _column(letters: bytes) -> int:
    """The 1-based column of a reference's letters (b'AB' -> 28)."""
    return column_index(letters.decode("ascii"))
#: A cell holding an error value: <c r="B8" t="e"><f>...</f><v>#DIV/0!</v></c>.
_ERROR_CELL: Final = re.compile(
    rb'<c\b(?=[^>]*\bt="e")[^>]*?\br="([A-Z]{1,3})([0-9]{1,9})"[^>]*>'
    rb"(?:(?!</c>).)*?<v>([^<]*)</v>", re.DOTALL)
_SST_CLAIM: Final = re.compile(rb'uniqueCount="([0-9]{1,20})"')


def _sheet_names(workbook: bytes, relations: bytes) -> dict[str, str]:
    """The sheet name of each worksheet part, from the workbook part and its relations."""
    targets = {}
    for element in _RELATIONSHIP.findall(relations):
        attributes = dict(_ATTRIBUTE.findall(element))
        target = attributes.get(b"Target", b"").decode("utf-8", "replace").lstrip("/")
        targets[attributes.get(b"Id", b"")] = target if target.startswith("xl/") \
            else f"xl/{target}"
    found = {}
    for element in _SHEET_ENTRY.findall(workbook):
        attributes = dict(_ATTRIBUTE.findall(element))
        part = targets.get(attributes.get(b"r:id", b""))
        if part:
            found[part] = _unescape(attributes.get(b"name", b"").decode("utf-8", "replace"))
    return found


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


def _repacked(package: zipfile.ZipFile, repairs: dict[str, Callable[[bytes], bytes]]
              ) -> bytes:
    """The package again, with overstated claims taken out of some parts (streamed: a large
    part is never held whole)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in package.infolist():
            repair = repairs.get(info.filename)
            target = zipfile.ZipInfo(info.filename, info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            with package.open(info) as source, copy.open(target, "w", force_zip64=True) as out:
                first = True
                while chunk := source.read(_CHUNK):
                    if first and repair is not None:
                        chunk = repair(chunk)
                    first = False
                    out.write(chunk)
    return buffer.getvalue()


__all__ = [
    "MAX_FILE_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_UNPACKED_BYTES",
    "Intake",
    "check",
    "checked_package",
    "display_name",
    "first_line",
    "found",
    "is_lock_file",
    "open_bytes",
    "open_intake",
    "take",
]
