"""A corpus of damaged, hostile and careless files, made here from a correct microplan (never
stored as blobs): each family of what a district may send, with the rule each file must be
reported under."""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import openpyxl

#: An XML bomb: entities that expand to a billion "lol"s (a DOCTYPE no workbook has).
BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.replace(
                      "&lol0;", "&lol;").encode() for i in range(1, 10))
                  + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t>'
                    b'</is></c></row></sheetData></worksheet>')


@dataclass(frozen=True)
class Hostile:
    """One hostile file: its family, the name it is sent under, how it is made from a good
    microplan's bytes (writing it into a folder), and the rule it must be reported under
    ("" when it must be read as a good form)."""

    family: str
    name: str
    make: Callable[[Path, bytes], None]
    rule: str


def _rezip(change: Callable[[str, bytes], bytes]) -> Callable[[Path, bytes], None]:
    def make(path: Path, good: bytes) -> None:
        source = zipfile.ZipFile(io.BytesIO(good))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            for info in source.infolist():
                package.writestr(info.filename, change(info.filename, source.read(info)))
        path.write_bytes(buffer.getvalue())
    return make


def _sheet_part(good: bytes, sheet: str) -> str:
    """The part holding a sheet, from the workbook and its relations."""
    package = zipfile.ZipFile(io.BytesIO(good))
    workbook = package.read("xl/workbook.xml").decode()
    relations = package.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet name="{sheet}" sheetId="\d+" r:id="(rId\d+)"', workbook)
    assert rid is not None
    target = re.search(rf'Id="{rid.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id='
                       rf'"{rid.group(1)}"', relations)
    assert target is not None
    found = target.group(1) or target.group(2)
    return found.lstrip("/") if found.startswith("/xl/") else f"xl/{found}"


def _in_sheet(sheet: str, change: Callable[[bytes], bytes]) -> Callable[[Path, bytes], None]:
    def make(path: Path, good: bytes) -> None:
        part = _sheet_part(good, sheet)
        _rezip(lambda name, body: change(body) if name == part else body)(path, good)
    return make


def _far_cell(body: bytes) -> bytes:
    return body.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v>'
                                         b"</c></row></sheetData>")


def _claimed_dimension(body: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body)


def _claimed_strings(name: str, body: bytes) -> bytes:
    if name != "xl/sharedStrings.xml":
        return body
    body = re.sub(rb'uniqueCount="\d+"', b'uniqueCount="2000000000"', body)
    return re.sub(rb' count="\d+"', b' count="2000000000"', body)


def _member_method(method: int, flag: int = 0) -> Callable[[Path, bytes], None]:
    """Every part's compression method (and flag bits) changed in both zip headers."""
    def make(path: Path, good: bytes) -> None:
        data = bytearray(good)
        for match in re.finditer(rb"PK\x03\x04", data):
            at = match.start()
            data[at + 8:at + 10] = struct.pack("<H", method)
            data[at + 6] |= flag
        for match in re.finditer(rb"PK\x01\x02", data):
            at = match.start()
            data[at + 10:at + 12] = struct.pack("<H", method)
            data[at + 8] |= flag
        path.write_bytes(bytes(data))
    return make


def _zip_bomb(path: Path, good: bytes) -> None:
    path.write_bytes(good)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/padding.xml", b"<a>" + b" " * 100_000_000 + b"</a>")


def _padded(path: Path, good: bytes) -> None:
    """A valid workbook of 1.5 MB (a picture part nobody reads): too large to copy cell by cell."""
    path.write_bytes(good)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as package:
        package.writestr("xl/media/photo.bin", os.urandom(1_500_000))


def _bytes(data: bytes) -> Callable[[Path, bytes], None]:
    def make(path: Path, good: bytes) -> None:
        path.write_bytes(data)
    return make


def _truncated(path: Path, good: bytes) -> None:
    path.write_bytes(good[: len(good) // 3])


def _fifo(path: Path, good: bytes) -> None:
    os.mkfifo(path)


def _dangling(path: Path, good: bytes) -> None:
    path.symlink_to(path.with_name("nowhere.xlsx"))


def _loop(path: Path, good: bytes) -> None:
    path.symlink_to(path)


def _link_to_good(path: Path, good: bytes) -> None:
    target = path.parent / ".kept" / "KTL-001 original.xlsx"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(good)
    path.symlink_to(target)


def _plain(path: Path, good: bytes) -> None:
    path.write_bytes(good)


def _cells(sheet: str, values: dict[str, object], merge: str = ""
           ) -> Callable[[Path, bytes], None]:
    """Values typed as in Excel (openpyxl on the good form), perhaps cells merged."""
    def make(path: Path, good: bytes) -> None:
        book = openpyxl.load_workbook(io.BytesIO(good))
        for ref, value in values.items():
            book[sheet][ref] = value
        if merge:
            book[sheet].merge_cells(merge)
        book.save(path)
    return make


def _text_in_xml(sheet: str, old: bytes, new: bytes) -> Callable[[Path, bytes], None]:
    """Text only a file's XML can hold (openpyxl refuses it): a long text, control codes."""
    def make(path: Path, good: bytes) -> None:
        part = _sheet_part(good, sheet)

        def change(name: str, body: bytes) -> bytes:
            if name in (part, "xl/sharedStrings.xml") and old in body:
                return body.replace(old, new, 1)
            return body
        _rezip(change)(path, good)
    return make


def _error_value(path: Path, good: bytes) -> None:
    _in_sheet("Identification", lambda body: re.sub(
        rb'<c r="B8"([^>]*?)(?: t="\w+")?([^>]*)>.*?</c>',
        rb'<c r="B8"\1 t="e"\2><f>B7/0</f><v>#DIV/0!</v></c>', body, count=1, flags=re.S))(
        path, good)


def corpus() -> list[Hostile]:
    """Every hostile file, by family."""
    return [
        Hostile("claims", "dimension_claim.xlsx",
                _in_sheet("Identification", _claimed_dimension), ""),
        Hostile("claims", "strings_claim.xlsx", _rezip(_claimed_strings), ""),
        Hostile("reach", "far_cell.xlsx", _in_sheet("Identification", _far_cell),
                "file-too-large"),
        # A sheet the reader never reads costs nothing, however far it reaches.
        Hostile("reach", "far_cell_instructions.xlsx", _in_sheet("Instructions", _far_cell),
                ""),
        Hostile("zip parts", "deflate64.xlsx", _member_method(9), "file-damaged"),
        Hostile("zip parts", "bzip2.xlsx", _member_method(12), "file-damaged"),
        Hostile("zip parts", "encrypted_parts.xlsx", _member_method(8, 1), "file-password"),
        Hostile("bombs", "inflated.xlsx", _zip_bomb, "file-bomb"),
        Hostile("bombs", "laughs.xlsx", _in_sheet("Team", lambda body: BILLION_LAUGHS),
                "file-bomb"),
        Hostile("broken", "empty.xlsx", _bytes(b""), "file-empty"),
        Hostile("broken", "cut_off.xlsx", _truncated, "file-damaged"),
        Hostile("broken", "noise.xlsx", _bytes(os.urandom(4096)), "file-not-workbook"),
        Hostile("broken", "old.xls", _bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504),
                "file-not-workbook"),
        Hostile("special", "pipe.xlsx", _fifo, "file-special"),
        Hostile("special", "dangling.xlsx", _dangling, "file-special"),
        Hostile("special", "loop.xlsx", _loop, "file-special"),
        Hostile("special", "linked.xlsx", _link_to_good, ""),
        Hostile("names", "Kandahar_\udce9\udcff.xlsx", _plain, "file-name"),
        Hostile("names", "red\x1b[31m\x07.xlsx", _plain, "file-name"),
        Hostile("names", "Kotal " + "very long name " * 14 + ".xlsx", _plain, ""),
        Hostile("names", "\u0641\u0631\u06cc\u062f\u0647\u200c\u0647\u0627_KTL.xlsx", _plain,
                ""),  # a Dari name with its joiner: nothing odd
        Hostile("names", "plan\u202exslx.exe.xlsx", _plain, "file-name"),  # reversed text
        Hostile("values", "percent_count.xlsx", _cells("Identification", {"B8": "93%"}),
                "count"),
        Hostile("values", "huge_count.xlsx", _cells("Identification", {"B7": 1e308}),
                "count"),
        Hostile("values", "power_count.xlsx", _cells("Identification", {"B7": "10^30"}),
                "count"),
        Hostile("values", "invisible_code.xlsx",
                _cells("Identification", {"B6": "KTL-\u200b001"}), "invisible-characters"),
        Hostile("values", "long_text.xlsx",
                _text_in_xml("Team", b"Pashto, Dari", b"Pashto " * 6000), "text-too-long"),
        Hostile("values", "error_value.xlsx", _error_value, "cell-error"),
        Hostile("values", "control_text.xlsx",
                _text_in_xml("Identification", b"Kotal Bala 1", b"Kotal_x001B_[2J_x0007_ 1"),
                "control-characters"),
        Hostile("size", "large_valid.xlsx", _padded, ""),
        Hostile("layout", "merged_cells.xlsx",
                _cells("Identification", {"B8": "lots"}, merge="B8:C9"), "merged-cells"),
    ]


def write_corpus(folder: Path, good: bytes) -> list[tuple[Hostile, Path]]:
    """Write every hostile file into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for item in corpus():
        path = Path(os.fsdecode(os.fsencode(folder / item.name)))
        item.make(path, good)
        written.append((item, path))
    return written
