"""A review book keeps the codes it reads back (why a form is not current, what became of each
file) in hidden columns beside its words: a regional merge reads those codes, never the words,
and still reads books written before the codes were kept by their words."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from clusterbook.consolidate.layout import HEADER_ROW
from clusterbook.consolidate.review_book import read_review_book
from clusterbook.domain.consolidation import Source
from clusterbook.domain.outcomes import MergeOutcome, Replacement
from clusterbook.jobs.merge import MergeRequest, merge_folder
from merging import cluster_csv, put, put_plan, table

DATA_SHEETS = ["1 Identification", "2 Team", "Sign-off"]


@pytest.fixture(scope="module")
def province(tmp_path_factory) -> tuple[Path, Path]:
    """A provincial review book with a newer plan, an identical copy and a damaged file."""
    tmp_path = tmp_path_factory.mktemp("codes")
    clusters = cluster_csv(tmp_path)
    north = tmp_path / "Northern Hills"
    put_plan(north, "Kotal_KTL-001.xlsx", "KTL-001", 0)
    put_plan(north, "Kotal_KTL-003.xlsx", "KTL-003", 2)
    put_plan(north, "Kotal_KTL-003_v2.xlsx", "KTL-003", 3, days_later=2)
    put(north, "Copy of Kotal_KTL-001.xlsx", (north / "Kotal_KTL-001.xlsx").read_bytes(), 4)
    put(north, "Kotal_cut_off.xlsx", (north / "Kotal_KTL-001.xlsx").read_bytes()[:3000], 6)
    book = tmp_path / "books" / "Northern Hills review.xlsx"
    merge_folder(MergeRequest(north, book, clusters=clusters, level="province"))
    return book, clusters


def _column(sheet, header: str) -> int:
    """The 1-based column of a header on a review book sheet."""
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    return headers.index(header) + 1


def _edited(book: Path, folder: Path, edit) -> Path:
    """A copy of the book in its own folder, changed by ``edit(workbook)``."""
    folder.mkdir()
    copy = folder / book.name
    workbook = openpyxl.load_workbook(book)
    edit(workbook)
    workbook.save(copy)
    return copy


def _carried(book: Path) -> dict[str, Source]:
    """The files a review book carries, by name, as a merge reads them back."""
    return {source.file: source for source in read_review_book(book).sources}


def _regional(book: Path, clusters: Path, out: Path) -> dict[str, object]:
    """What a regional merge of the book gives: data rows, Superseded, Files and Issues."""
    merge_folder(MergeRequest(book.parent, out, clusters=clusters))
    return {
        "data": {sheet: [tuple(row.values()) for row in table(out, sheet)]
                 for sheet in DATA_SHEETS},
        "superseded": sorted((row["Source file"], row["Cluster code"], row["Current file"],
                              row["Why it is not current"], row["Reason code"])
                             for row in table(out, "Superseded")),
        "files": sorted((row["File"], row["Came through"] or "", row["Outcome"], row["Kind"],
                         row["Outcome code"]) for row in table(out, "Files")),
        "issues": sorted((row["File"], row["Rule"], row["File outcome"])
                         for row in table(out, "Issues")),
    }


def test_the_codes_are_kept_in_hidden_columns(province):
    book, _ = province
    superseded = {row["Source file"]: row for row in table(book, "Superseded")}
    assert superseded["Kotal_KTL-003.xlsx"]["Reason code"] == "dated-later"
    assert superseded["Kotal_KTL-003.xlsx"]["Why it is not current"].startswith(
        "Replaced by a newer submission: Kotal_KTL-003_v2.xlsx, dated")
    assert superseded["Copy of Kotal_KTL-001.xlsx"]["Reason code"] == "identical"
    files = {row["File"]: row for row in table(book, "Files")}
    assert {name: (row["Outcome code"], row["Kind"]) for name, row in files.items()} == {
        "Kotal_KTL-001.xlsx": ("merged", "read"),
        "Kotal_KTL-003.xlsx": ("superseded", "superseded"),
        "Kotal_KTL-003_v2.xlsx": ("merged", "read"),
        "Copy of Kotal_KTL-001.xlsx": ("copy", "superseded"),
        "Kotal_cut_off.xlsx": ("not-readable", "unreadable"),
    }
    assert files["Kotal_cut_off.xlsx"]["Outcome"].startswith("Not readable: ")
    [issue] = [row for row in table(book, "Issues") if row["File"] == "Kotal_cut_off.xlsx"]
    assert issue["File outcome"] == "Not readable"
    workbook = openpyxl.load_workbook(book)
    for sheet, header in (("Superseded", "Reason code"), ("Files", "Outcome code")):
        letter = openpyxl.utils.get_column_letter(_column(workbook[sheet], header))
        assert workbook[sheet].column_dimensions[letter].hidden, (sheet, header)
        shown = _column(workbook[sheet], header) - 1
        assert letter != openpyxl.utils.get_column_letter(shown)


def _unchanged(book: Path, clusters: Path, tmp_path: Path) -> dict[str, object]:
    """The regional merge of the book saved again as it is (as the changed copies are), to
    compare like with like."""
    copy = _edited(book, tmp_path / "unchanged", lambda workbook: None)
    return _regional(copy, clusters, tmp_path / "out" / "unchanged.xlsx")


def test_a_book_is_read_by_its_codes_not_its_words(province, tmp_path):
    book, clusters = province
    expected = _unchanged(book, clusters, tmp_path)

    def reword(workbook) -> None:
        # Words changed by hand (or by a later wording): the codes still say what happened.
        for name, header in (("Superseded", "Why it is not current"), ("Files", "Outcome")):
            sheet = workbook[name]
            column = _column(sheet, header)
            for row in range(HEADER_ROW + 1, sheet.max_row + 1):
                cell = sheet.cell(row, column)
                if isinstance(cell.value, str) and cell.value.startswith(
                        ("Identical", "Counted once")):
                    cell.value = "A copy"

    copy = _edited(book, tmp_path / "reworded", reword)
    carried = _carried(copy)
    assert carried["Copy of Kotal_KTL-001.xlsx"].carried_code is MergeOutcome.COPY
    assert carried["Copy of Kotal_KTL-001.xlsx"].entries == []  # not a form replaced
    [earlier] = carried["Kotal_KTL-003.xlsx"].entries
    assert earlier.earlier_code is Replacement.DATED_LATER
    reworded = _regional(copy, clusters, tmp_path / "out" / "reworded.xlsx")
    assert reworded["data"] == expected["data"]
    assert reworded["issues"] == expected["issues"]
    # The identical copy is listed once, by the merge itself, as with the book unchanged.
    assert [row[:3] for row in reworded["superseded"]] == [
        row[:3] for row in expected["superseded"]]
    assert ("Copy of Kotal_KTL-001.xlsx", "KTL-001", "Kotal_KTL-001.xlsx", "Identical to "
            "Kotal_KTL-001.xlsx (same fingerprint); counted once", "identical") in \
        expected["superseded"]


def test_a_book_written_before_the_codes_merges_as_before(province, tmp_path):
    book, clusters = province
    expected = _unchanged(book, clusters, tmp_path)

    def without_codes(workbook) -> None:
        for name, header in (("Superseded", "Reason code"), ("Files", "Outcome code")):
            workbook[name].delete_cols(_column(workbook[name], header))

    older = _edited(book, tmp_path / "older", without_codes)
    assert "Reason code" not in table(older, "Superseded")[0]
    carried = _carried(older)
    assert carried["Copy of Kotal_KTL-001.xlsx"].carried_code is None
    assert carried["Copy of Kotal_KTL-001.xlsx"].entries == []  # by its words
    [earlier] = carried["Kotal_KTL-003.xlsx"].entries
    assert earlier.earlier_code is None and earlier.earlier.startswith("Replaced by a newer")
    found = _regional(older, clusters, tmp_path / "out" / "older.xlsx")
    assert found["data"] == expected["data"]
    assert found["issues"] == expected["issues"]
    # The same rows and words; the codes of the forms it carried are unknown, the merge's own
    # (the identical copy it lists again) are known.
    assert [row[:4] for row in found["superseded"]] == [row[:4] for row in expected["superseded"]]
    codes = {row[0]: row[4] for row in found["superseded"]}
    assert codes == {"Copy of Kotal_KTL-001.xlsx": "identical", "Kotal_KTL-003.xlsx": None}
    assert [row[:4] for row in found["files"]] == [row[:4] for row in expected["files"]]


def test_the_ledger_keeps_the_codes(province, tmp_path):
    book, clusters = province
    folder = tmp_path / "books"
    shutil.copytree(book.parent, folder)
    out = tmp_path / "out" / "region.xlsx"
    first = _regional(folder / book.name, clusters, out)
    (folder / "Kotal_KTL-002.xlsx").write_bytes(b"")  # something new: the book is merged again
    again = _regional(folder / book.name, clusters, out)  # the book's sources, from the ledger
    assert again["superseded"] == first["superseded"]
    assert [row for row in again["files"] if row[0] != "Kotal_KTL-002.xlsx"] == first["files"]
