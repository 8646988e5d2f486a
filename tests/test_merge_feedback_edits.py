"""Reviewers edit the Feedback sheet as they like: rows inserted above the header, title rows
deleted, the sheet renamed, headers retyped, columns of their own added. Their entries survive
the next merge, or the merge refuses and leaves the book as it was."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from clusterbook.domain.errors import WorkbookError
from clusterbook.jobs.merge import MergeRequest, merge_folder
from merging import cluster_csv, put_kotal_plans, put_plan, table

SRC = Path(__file__).resolve().parent.parent / "src"


@pytest.fixture
def reviewed(tmp_path) -> tuple[Path, Path, Path]:
    """A merged book whose reviewers typed for two clusters and added a 'Checked by' column."""
    folder = tmp_path / "submissions"
    put_kotal_plans(folder)
    clusters = cluster_csv(tmp_path)
    out = tmp_path / "review" / "Kotal review.xlsx"
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    book = openpyxl.load_workbook(out)
    sheet = book["Feedback"]
    rows = {sheet.cell(row, 3).value: row for row in range(4, sheet.max_row + 1)}
    sheet.cell(rows["KTL-002"], 5).value = "Returned"
    sheet.cell(rows["KTL-002"], 6).value = "Team 3 has no phone number."
    sheet.cell(rows["KTL-001"], 7).value = "High"
    sheet.cell(3, 13).value = "Checked by"
    sheet.cell(rows["KTL-001"], 13).value = "Farid (RO)"
    book.save(out)
    return folder, clusters, out


def _edit(out: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    book = openpyxl.load_workbook(out)
    change(book)
    book.save(out)


def _insert_rows_above_header(book: openpyxl.Workbook) -> None:
    book["Feedback"].insert_rows(1, 3)


def _delete_title_rows(book: openpyxl.Workbook) -> None:
    book["Feedback"].delete_rows(1, 2)


def _rename_sheet(book: openpyxl.Workbook) -> None:
    book["Feedback"].title = "RO review"


def _rename_comment_header(book: openpyxl.Workbook) -> None:
    book["Feedback"]["F3"] = "Remarks"
    book["Feedback"]["E3"] = "Status"


EDITS = {"rows inserted above the header": _insert_rows_above_header,
         "title rows deleted": _delete_title_rows, "sheet renamed": _rename_sheet,
         "comment and status headers renamed": _rename_comment_header}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_reviewer_entries_survive_the_edit(reviewed, edit):
    folder, clusters, out = reviewed
    _edit(out, edit)
    put_plan(folder, "Kotal_KTL-003_v2.xlsx", "KTL-003", 9, days_later=2)  # something new
    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert result.read == 1
    feedback = {row["Cluster code"]: row for row in table(out, "Feedback")}
    assert (feedback["KTL-002"]["Review status"], feedback["KTL-002"]["Reviewer comment"]) == (
        "Returned", "Team 3 has no phone number.")
    assert feedback["KTL-001"]["Priority"] == "High"
    assert feedback["KTL-001"]["Checked by"] == "Farid (RO)"  # the reviewers' own column
    assert feedback["KTL-003"]["Review status"] == "Pending"


def test_the_reviewers_column_is_kept_across_merges(reviewed):
    folder, clusters, out = reviewed
    for serial in range(2):
        put_plan(folder, f"Kotal_KTL-002_v{serial + 2}.xlsx", "KTL-002", 10 + serial,
                 days_later=serial + 1)
        merge_folder(MergeRequest(folder, out, clusters=clusters))
    rows = table(out, "Feedback")
    assert list(rows[0])[-1] == "Checked by"
    assert {row["Cluster code"]: row["Checked by"] for row in rows}["KTL-001"] == "Farid (RO)"


def _header_wiped(book: openpyxl.Workbook) -> None:
    for cell in book["Feedback"][3]:
        cell.value = None


def _sheet_renamed_and_title_gone(book: openpyxl.Workbook) -> None:
    sheet = book["Feedback"]
    sheet.title = "Notes"
    sheet.delete_rows(1, 3)  # title and header gone: nothing says what the columns are


@pytest.mark.parametrize("edit", [_header_wiped, _sheet_renamed_and_title_gone])
def test_a_feedback_sheet_that_cannot_be_read_stops_the_merge(reviewed, edit):
    folder, clusters, out = reviewed
    _edit(out, edit)
    before = out.read_bytes()
    put_plan(folder, "Kotal_KTL-003_v2.xlsx", "KTL-003", 9, days_later=2)
    with pytest.raises(WorkbookError, match="Nothing was written") as raised:
        merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert "Kotal review.xlsx" in str(raised.value)
    assert out.read_bytes() == before
    done = subprocess.run([sys.executable, "-m", "clusterbook", "merge", str(folder), "--out",
                           str(out), "--clusters", str(clusters)], capture_output=True,
                          text=True, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "reviewers' work is not lost" in done.stderr or "so that their work is not lost" \
        in done.stderr
    assert out.read_bytes() == before
