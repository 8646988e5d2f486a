"""Files that are not a valid form: each really broken, each one finding naming the file and the
reason, never a traceback, and the other files still checked."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from clusterbook.jobs.validate import ValidateRequest, validate_paths
from corpus import TODAY, edit, microplan, write
from hostile import BILLION_LAUGHS


def replace_part(source: Path, target: Path, part: str, data: bytes) -> Path:
    """Copy a workbook, replacing one XML part."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w",
                                                         zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info, data if info.filename == part else old.read(info))
    return target


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a sheet (by the workbook's order of sheets)."""
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


@pytest.fixture
def good(tmp_path) -> Path:
    return write(tmp_path, "good.xlsx", microplan())


def make_empty(folder: Path, good: Path) -> Path:
    path = folder / "empty.xlsx"
    path.write_bytes(b"")
    return path


def make_truncated(folder: Path, good: Path) -> Path:
    path = folder / "truncated.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return path


def make_corrupt(folder: Path, good: Path) -> Path:
    """A bit flipped in the compressed data of a sheet: the zip directory is intact."""
    raw = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as package:
        info = package.getinfo(sheet_part(good, "Team"))
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(40, min(info.compress_size, 400), 7):
        raw[start + offset] ^= 0xFF
    path = folder / "corrupt.xlsx"
    path.write_bytes(bytes(raw))
    return path


def make_password(folder: Path, good: Path) -> Path:
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with good.open("rb") as handle:
        OOXMLFile(handle).encrypt("secret", out)
    path = folder / "protected.xlsx"
    path.write_bytes(out.getvalue())
    assert msoffcrypto.OfficeFile(io.BytesIO(out.getvalue())).is_encrypted()
    return path


def make_not_template(folder: Path, good: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Budget"
    book.active.append(["Item", "Cost"])
    book.active.append(["Fuel", 1200])
    path = folder / "budget.xlsx"
    book.save(path)
    return path


def make_unknown_version(folder: Path, good: Path) -> Path:
    path = folder / "newer.xlsx"
    path.write_bytes(good.read_bytes())
    return edit(path, lambda book: book["_clusterbook"].__setitem__("B2", "2031.1"))


def make_lock_file(folder: Path, good: Path) -> Path:
    path = folder / "~$good.xlsx"
    path.write_bytes(b"\x0bDistrict PC" + b"\x00" * 150)
    return path


def make_xml_bomb(folder: Path, good: Path) -> Path:
    return replace_part(good, folder / "bomb.xlsx", sheet_part(good, "Team"), BILLION_LAUGHS)


def make_padded_xml_bomb(folder: Path, good: Path) -> Path:
    """The DOCTYPE after 20 kB of comment: a look at the first few kB alone misses it."""
    padded = BILLION_LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b" " * 20_000 + b"-->\n<!DOCTYPE", 1)
    return replace_part(good, folder / "padded_bomb.xlsx", sheet_part(good, "Team"), padded)


def make_zip_bomb(folder: Path, good: Path) -> Path:
    # An XML part that really unpacks to 100 MB of nothing from 100 KB (a picture part that
    # the reader never unpacks is left alone, see test_intake).
    path = folder / "inflated.xlsx"
    path.write_bytes(good.read_bytes())
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/padding.xml", b"<a>" + b" " * 100_000_000 + b"</a>")
    return path


def make_old_xls(folder: Path, good: Path) -> Path:
    path = folder / "old.xls"
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504)
    return path


def make_csv_named_xlsx(folder: Path, good: Path) -> Path:
    path = folder / "export.xlsx"
    path.write_text("Province,District\nNorthern Hills,Kotal\n", encoding="utf-8")
    return path


def make_word_file(folder: Path, good: Path) -> Path:
    path = folder / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return path


BROKEN = [
    (make_empty, "error", "file-empty", "empty.xlsx", "The file is empty (0 bytes)."),
    (make_truncated, "error", "file-damaged", "truncated.xlsx", "The file is damaged or "
     "incomplete (perhaps cut off while copying); send it again."),
    (make_corrupt, "error", "file-damaged", "corrupt.xlsx", "Sheet 'Team' is damaged and cannot "
     "be read; send the file again."),
    (make_password, "error", "file-password", "protected.xlsx", "The workbook is protected "
     "with a password; save a copy without a password and send that."),
    (make_not_template, "error", "not-template", "budget.xlsx", "This workbook is not one of "
     "the ClusterBook templates (no '_clusterbook' mark, and its sheets 'Budget' are not a "
     "form's sheets); fill the template and send that."),
    (make_unknown_version, "error", "unknown-version", "newer.xlsx", "This is version 2031.1 "
     "of the Community Engagement, Advocacy and Social Mobilization Cluster Microplan "
     "template, which this ClusterBook does not know (it reads 2025.1); update ClusterBook to "
     "read it."),
    (make_lock_file, "warning", "file-lock", "~$good.xlsx", "This is a lock file that Excel "
     "leaves while a book is open, not a workbook."),
    (make_xml_bomb, "error", "file-bomb", "bomb.xlsx", "The workbook contains an XML document "
     "type declaration (a possible XML bomb); it was not opened."),
    (make_padded_xml_bomb, "error", "file-bomb", "padded_bomb.xlsx", "The workbook contains "
     "an XML document type declaration (a possible XML bomb); it was not opened."),
    (make_zip_bomb, "error", "file-bomb", "inflated.xlsx", "Part 'xl/padding.xml' unpacks to "
     "far more than a workbook holds (a zip bomb); it was not opened."),
    (make_old_xls, "error", "file-not-workbook", "old.xls", "This is an old .xls workbook; "
     "open it in Excel and save it as .xlsx."),
    (make_csv_named_xlsx, "error", "file-not-workbook", "export.xlsx", "This is not an Excel "
     "workbook (.xlsx)."),
    (make_word_file, "error", "file-not-workbook", "letter.xlsx", "This zip file is not an "
     "Excel workbook."),
]


@pytest.mark.parametrize("make, severity, rule, name, message", BROKEN,
                         ids=[case[0].__name__.removeprefix("make_") for case in BROKEN])
def test_a_broken_file_is_one_finding_and_the_others_are_still_checked(
        tmp_path, good, make, severity, rule, name, message):
    folder = tmp_path / "submissions"
    folder.mkdir()
    broken = make(folder, good)
    before = broken.read_bytes()
    other = write(folder, "other.xlsx", microplan())
    other.with_name("zz_fine.xlsx").write_bytes(other.read_bytes())
    result = validate_paths(ValidateRequest([folder], today=TODAY))
    expected = sorted([name, "other.xlsx", "zz_fine.xlsx"], key=str.casefold)
    assert [r.file for r in result.files] == expected
    (bad,) = [r for r in result.files if r.file == name]
    assert bad.submission is None
    assert len(bad.findings) == 1
    finding = bad.findings[0]
    assert (finding.severity, finding.rule, finding.file, finding.sheet, finding.cell) == (
        severity, rule, name, "", "")
    assert finding.message == message
    assert all(r.valid for r in result.files if r.file != name)
    assert broken.read_bytes() == before


def test_a_padded_xml_bomb_is_refused_with_little_memory(tmp_path, good):
    """Refused before its entities expand; how quickly is benchmarks/file_bomb.py's to
    measure."""
    bomb = make_padded_xml_bomb(tmp_path, good)
    tracemalloc.start()
    result = validate_paths(ValidateRequest([bomb]))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.findings[0].rule == "file-bomb"
    assert peak < 20_000_000


def test_a_missing_path_is_a_usage_problem(tmp_path):
    from clusterbook.domain.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        validate_paths(ValidateRequest([tmp_path / "nowhere.xlsx"]))


def test_files_with_the_same_name_are_told_apart_by_their_folders(tmp_path):
    for district in ("Kotal", "Nahrin"):
        (tmp_path / district).mkdir()
        write(tmp_path / district, "microplan.xlsx", microplan())
    (tmp_path / "Kotal" / "notes.txt").write_text("not a workbook")
    result = validate_paths(ValidateRequest([tmp_path], today=TODAY))
    assert [r.file for r in result.files] == ["Kotal/microplan.xlsx", "Nahrin/microplan.xlsx"]
    assert [p.name for p in result.skipped] == ["notes.txt"]
