"""Reading workbooks fast with python-calamine, and saying plainly why a file cannot be read.

Every file problem becomes a :class:`WorkbookError` whose message names the file and the reason
in words: a lock file, an empty or truncated file, a password, an XML bomb, not a workbook.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

import python_calamine as calamine

from clusterbook.domain.errors import WorkbookError

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_SIGNATURE = b"PK\x03\x04"
#: Refuse packages that would inflate beyond this; a filled form is well under 5 MB unpacked.
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200
_DOCTYPE_PROBE = 4096
_ROOT_START = re.compile(rb"<[A-Za-z_]")


@dataclass(frozen=True)
class SheetData:
    """The values of one sheet as calamine reads them, rows and columns 1-based in refs."""

    name: str
    rows: list[list[Any]]

    def value(self, row: int, column: int) -> Any:
        """The value at a 1-based row and column, '' when outside the used area."""
        if 1 <= row <= len(self.rows):
            cells = self.rows[row - 1]
            if 1 <= column <= len(cells):
                return cells[column - 1]
        return ""


def is_lock_file(path: Path) -> bool:
    """Excel's '~$name.xlsx' and LibreOffice's '.~lock.name#' files mark a book that is open."""
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


def check_package(path: Path) -> None:
    """Refuse, quickly and with bounded memory, files that are not readable workbooks.

    Checks the signature, the zip directory, the unpacked size and the compression ratio (zip
    bombs), and that no XML part declares a DOCTYPE (entity expansion bombs): a real workbook
    never has one.
    """
    name = path.name
    if is_lock_file(path):
        raise WorkbookError(name, "this is a lock file that Excel leaves while a book is open, "
                                  "not a workbook", kind="lock")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        raise WorkbookError(name, "the file does not exist", kind="not-workbook") from None
    except IsADirectoryError:
        raise WorkbookError(name, "this is a folder, not a workbook", kind="not-workbook") \
            from None
    except PermissionError:
        raise WorkbookError(name, "the file cannot be opened: permission denied",
                            kind="not-workbook") from None
    if size == 0:
        raise WorkbookError(name, "the file is empty (0 bytes)", kind="empty")
    if head.startswith(_OLE_SIGNATURE):
        if _is_encrypted_package(path):
            raise WorkbookError(name, "the workbook is protected with a password; save a copy "
                                      "without a password and send that", kind="password")
        raise WorkbookError(name, "this is an old .xls workbook; open it in Excel and save it "
                                  "as .xlsx", kind="not-workbook")
    if not head.startswith(_ZIP_SIGNATURE):
        raise WorkbookError(name, "this is not an Excel workbook (.xlsx)", kind="not-workbook")
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            unpacked = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
                raise WorkbookError(name, "the workbook would unpack to an unreasonable size "
                                          "(a zip bomb); it was not opened", kind="bomb")
            names = {info.filename for info in infos}
            if "[Content_Types].xml" not in names or not any(
                    n.startswith("xl/") for n in names):
                raise WorkbookError(name, "this zip file is not an Excel workbook",
                                    kind="not-workbook")
            with path.open("rb") as raw:
                for info in infos:
                    if not info.filename.endswith((".xml", ".rels", ".vml")):
                        continue
                    if _plainly_without_doctype(raw, info):
                        continue
                    with package.open(info) as part:
                        if _declares_doctype(part):
                            raise WorkbookError(name, "the workbook contains an XML document "
                                                      "type declaration (a possible XML bomb); "
                                                      "it was not opened", kind="bomb")
    except zipfile.BadZipFile:
        raise WorkbookError(name, "the file is damaged or incomplete (perhaps cut off while "
                                  "copying); send it again", kind="damaged") from None
    except (zipfile.LargeZipFile, EOFError, OSError, zlib.error):
        raise WorkbookError(name, "the file is damaged and cannot be read; send it again",
                            kind="damaged") from None


def _plainly_without_doctype(raw: IO[bytes], info: zipfile.ZipInfo) -> bool:
    """True when the first bytes of a part show its root element with nothing but the XML
    declaration before it (so no DOCTYPE), read straight from the archive: much quicker than
    opening the part. False means 'look closer' (:func:`_declares_doctype`)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                          zipfile.ZIP_DEFLATED):
        return False
    raw.seek(info.header_offset)
    header = raw.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return False
    skip = int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    raw.seek(info.header_offset + 30 + skip)
    data = raw.read(min(info.compress_size, _DOCTYPE_PROBE))
    if info.compress_type == zipfile.ZIP_DEFLATED:
        try:
            data = zlib.decompressobj(-15).decompress(data, _DOCTYPE_PROBE)
        except zlib.error:
            return False
    start = _ROOT_START.search(data)
    return start is not None and b"<!" not in data[:start.start()]


class _RootReached(Exception):
    """The XML prolog is over: no document type declaration can follow."""


class _DoctypeFound(Exception):
    """The XML part declares a document type (where entity bombs live)."""


def _declares_doctype(part: IO[bytes]) -> bool:
    """True when an XML part declares a DOCTYPE before its root element.

    The part is parsed as a stream (expat, without expanding anything) only up to its root
    element, however much comment or whitespace comes first, so memory stays bounded. A part
    that is not well-formed XML before its root is left for the reader to refuse.
    """
    chunk = part.read(_DOCTYPE_PROBE)
    start = _ROOT_START.search(chunk)
    if start is not None and b"<!" not in chunk[:start.start()]:
        return False  # the usual case: a declaration, then the root element at once
    parser = expat.ParserCreate()

    def doctype(*_: object) -> None:
        raise _DoctypeFound

    def root(*_: object) -> None:
        raise _RootReached

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk:
            parser.Parse(chunk, False)
            chunk = part.read(_DOCTYPE_PROBE)
        parser.Parse(b"", True)
    except _DoctypeFound:
        return True
    except (_RootReached, expat.ExpatError):
        return False
    return False


def _is_encrypted_package(path: Path) -> bool:
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as handle:
        return marker in handle.read(1 << 20)


def open_workbook(path: Path | str) -> calamine.CalamineWorkbook:
    """Open a workbook for reading after :func:`check_package`; errors become WorkbookError."""
    path = Path(path)
    check_package(path)
    try:
        return calamine.CalamineWorkbook.from_path(str(path))
    except calamine.PasswordError:
        raise WorkbookError(path.name, "the workbook is protected with a password",
                            kind="password") from None
    except (calamine.ZipError, calamine.XmlError, calamine.CalamineError) as error:
        raise WorkbookError(path.name, f"the workbook is damaged and cannot be read "
                                       f"({_first_line(error)})", kind="damaged") from None
    except Exception as error:  # calamine raises plain errors for some broken parts
        raise WorkbookError(path.name, f"the workbook cannot be read ({_first_line(error)})",
                            kind="damaged") from None


def read_sheet(book: calamine.CalamineWorkbook, name: str, *, file: str = "") -> SheetData:
    """Every value of a sheet from A1 (empty leading rows and columns kept, so refs hold)."""
    try:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
    except calamine.WorksheetNotFound:
        raise WorkbookError(file, f"the workbook has no sheet named '{name}'",
                            kind="not-template") from None
    except Exception as error:
        raise WorkbookError(file, f"sheet '{name}' cannot be read ({_first_line(error)})",
                            kind="damaged") from None
    return SheetData(name, rows)


def iter_sheets(book: calamine.CalamineWorkbook, *, file: str = "") -> Iterator[SheetData]:
    """Every worksheet of a book, in order."""
    for name in book.sheet_names:
        yield read_sheet(book, name, file=file)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
