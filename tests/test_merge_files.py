"""Merging real folders of submissions into review books: what the book holds, re-runs, the
ledger, reviewers' work, locked books, cancelling, failed writes, formulas in text."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from clusterbook.consolidate.ledger import ledger_path
from clusterbook.domain.errors import InputError, WorkbookError
from clusterbook.jobs.merge import MergeRequest, merge_folder
from clusterbook.jobs.progress import Cancelled
from clusterbook.outputs import UsageError
from merging import (
    cluster_csv,
    put,
    put_action_plan,
    put_plan,
    received,
    received_cell,
    snapshot,
    table,
)

DATA_SHEETS = ["1 Identification", "2 Team", "3 Mapping", "4 Issues", "5 Activities",
               "6 Supervision", "7 Review", "Sign-off", "Action plans"]
PROVENANCE = ["Source file", "Sheet", "Row", "Fingerprint (SHA-256)", "Received (UTC)"]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """A district's folder: three clusters (one with a wrong phone), a resent microplan, an
    identical copy, an action plan, a file cut off, a lock file and a note."""
    folder = tmp_path_factory.mktemp("base") / "submissions"
    put_plan(folder, "Kotal_KTL-001.xlsx", "KTL-001", 0)
    put_plan(folder, "Kotal_KTL-002.xlsx", "KTL-002", 1, phone="ask DCO")
    put_plan(folder, "Kotal_KTL-003.xlsx", "KTL-003", 2)
    put_plan(folder, "resent/Kotal_KTL-003_v2.xlsx", "KTL-003", 3, days_later=2)
    put(folder, "Copy of Kotal_KTL-001.xlsx", (folder / "Kotal_KTL-001.xlsx").read_bytes(), 4)
    put_action_plan(folder, "Kotal_action_plan.xlsx", "Kotal", ("KTL-001", "KTL-003"),
                    dt.date(2025, 3, 1), 5)
    put(folder, "Kotal_cut_off.xlsx", (folder / "Kotal_KTL-002.xlsx").read_bytes()[:3000], 6)
    put(folder, "~$Kotal_KTL-002.xlsx", b"\x0bDCO laptop" + b" " * 40, 7)
    put(folder, "notes.txt", b"Kotal sent everything on Thursday.", 8)
    return folder


@pytest.fixture
def work(tmp_path, base) -> tuple[Path, Path, Path]:
    """A copy of the base folder (times kept), the cluster list, and where the book goes."""
    folder = tmp_path / "submissions"
    shutil.copytree(base, folder)
    return folder, cluster_csv(tmp_path), tmp_path / "review" / "Kotal review.xlsx"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_folder_becomes_a_review_book_with_every_row_traceable(work):
    folder, clusters, out = work
    before = snapshot(folder)
    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert snapshot(folder) == before  # inputs never modified

    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Summary", "Feedback", *DATA_SHEETS, "Issues", "Superseded",
                               "Files", "_clusterbook"]
    mark = book["_clusterbook"]
    assert mark.sheet_state == "hidden"
    assert (mark["B1"].value, mark["B2"].value, mark["B3"].value) == (
        "clusterbook-review", "2025.1", "region")
    feedback = book["Feedback"]
    header = [cell.value for cell in feedback[3]]
    assert header[:7] == ["Province", "District", "Cluster code", "Cluster name",
                          "Review status", "Reviewer comment", "Priority"]
    [status_list] = [v for v in feedback.data_validations.dataValidation
                     if v.sqref and "E4" in str(v.sqref)]
    assert status_list.formula1 == '"Accepted,Returned,Pending"'

    identification = table(out, "1 Identification")
    by_code = {row["Cluster code"]: row for row in identification}
    assert sorted(by_code) == ["KTL-001", "KTL-002", "KTL-003"]
    newest = by_code["KTL-003"]
    assert newest["Source file"] == "Kotal_KTL-003_v2.xlsx"
    assert newest["Fingerprint (SHA-256)"] == sha256(folder / "resent" / "Kotal_KTL-003_v2.xlsx")
    # The time stamp is a date-time cell, shown in the books' date style.
    assert (newest["Sheet"], newest["Row"], newest["Received (UTC)"]) == (
        "Identification", 3, received_cell(3))
    for sheet in DATA_SHEETS:
        rows = table(out, sheet)
        assert rows and all(row[column] not in (None, "") for row in rows
                            for column in PROVENANCE), sheet
    team = table(out, "2 Team")
    assert len(team) == 12 and {row["Cluster code"] for row in team} == set(by_code)
    assert [row["Cluster code"] for row in table(out, "Action plans")] == [
        "KTL-001", "KTL-001", "KTL-003", "KTL-003"]

    superseded = {row["Source file"]: row for row in table(out, "Superseded")}
    assert superseded["Kotal_KTL-003.xlsx"]["Current file"] == "Kotal_KTL-003_v2.xlsx"
    assert superseded["Kotal_KTL-003.xlsx"]["Why it is not current"].startswith(
        "Replaced by a newer submission")
    assert superseded["Copy of Kotal_KTL-001.xlsx"]["Why it is not current"].startswith(
        "Identical to Kotal_KTL-001.xlsx")
    issues = {(row["File"], row["Rule"]) for row in table(out, "Issues")}
    assert {("Kotal_cut_off.xlsx", "file-damaged"), ("Kotal_KTL-002.xlsx", "phone"),
            ("~$Kotal_KTL-002.xlsx", "file-lock")} <= issues
    files = {row["File"]: row["Outcome"] for row in table(out, "Files")}
    assert len(files) == 9
    assert files["notes.txt"] == "Skipped: not a workbook"
    assert files["Kotal_KTL-003.xlsx"] == "Superseded"
    assert files["Kotal_cut_off.xlsx"].startswith("Not readable: The file is damaged")

    summary = {row["District"]: row for row in table_at(out, "Summary", "District")}
    kotal = summary["Kotal"]
    assert (kotal["Clusters expected"], kotal["Microplans received"], kotal["Valid"],
            kotal["With errors"], kotal["Low-performing clusters"],
            kotal["Without an action plan"]) == (3, 3, 2, 1, 2, 0)
    assert summary["Nahrin"]["Not received"] == 1
    assert result.read == 8 and result.backup is None


def table_at(path: Path, sheet: str, first_header: str) -> list[dict]:
    """The rows under the first header row that has ``first_header`` in column B."""
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if len(row) > 1 and row[1] == first_header)
    header = rows[start]
    body = []
    for row in rows[start + 1:]:
        if not row or row[0] in (None, ""):
            break
        body.append(dict(zip(header, row, strict=False)))
    return body


def test_a_rerun_with_nothing_changed_writes_nothing(work):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    book, ledger = out.read_bytes(), ledger_path(out).read_bytes()
    again = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert again.up_to_date and again.read == 0
    assert out.read_bytes() == book and ledger_path(out).read_bytes() == ledger
    assert not (out.parent / "backups").exists()
    # Another cluster list means other checks: every file is read again.
    other = clusters.with_name("fewer.csv")
    other.write_text("\n".join(clusters.read_text().splitlines()[:3]) + "\n")
    assert merge_folder(MergeRequest(folder, out, clusters=other)).read == 8


def test_reviewers_work_survives_and_only_new_files_are_read(work):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    book = openpyxl.load_workbook(out)  # a reviewer at work in Excel
    sheet = book["Feedback"]
    rows = {sheet.cell(row, 3).value: row for row in range(4, sheet.max_row + 1)}
    sheet.cell(rows["KTL-002"], 5).value = "Returned"
    sheet.cell(rows["KTL-002"], 6).value = "The DCO's phone number is missing."
    sheet.cell(rows["KTL-001"], 5).value = "accepted"
    sheet.cell(rows["KTL-001"], 7).value = "Low"
    sheet.cell(rows["NHR-001"] + 2, 6).value = "Call Nahrin about the other clusters."
    book.save(out)
    edited = out.read_bytes()

    put_plan(folder, "Kotal_KTL-002_v2.xlsx", "KTL-002", 20, days_later=3)
    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert (result.read, result.reused) == (1, 8)
    assert result.backup is not None and result.backup.read_bytes() == edited
    assert result.backup.parent == out.parent / "backups"
    feedback = {row["Cluster code"]: row for row in table(out, "Feedback")}
    assert feedback["KTL-002"]["Review status"] == "Returned"
    assert feedback["KTL-002"]["Reviewer comment"] == "The DCO's phone number is missing."
    assert feedback["KTL-002"]["New file since last merge"] == "Yes"
    assert feedback["KTL-002"]["Microplan"] == "Valid"
    assert (feedback["KTL-001"]["Review status"], feedback["KTL-001"]["Priority"]) == (
        "Accepted", "Low")
    assert feedback["KTL-003"]["Review status"] == "Pending"
    assert feedback[None]["Reviewer comment"] == "Call Nahrin about the other clusters."
    assert {row["Source file"] for row in table(out, "Superseded")} >= {"Kotal_KTL-002.xlsx"}


def test_the_ledger_records_every_file_and_keeps_received_times(work):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    with sqlite3.connect(ledger_path(out)) as connection:
        connection.row_factory = sqlite3.Row
        rows = {row["path"]: dict(row) for row in connection.execute("SELECT * FROM files")}
    first = rows["Kotal_KTL-001.xlsx"]
    assert (first["fingerprint"], first["size"], first["template"], first["version"],
            first["clusters"], first["errors"], first["warnings"]) == (
        sha256(folder / "Kotal_KTL-001.xlsx"), (folder / "Kotal_KTL-001.xlsx").stat().st_size,
        "cesm-microplan", "2025.1", "KTL-001", 0, 0)
    assert first["received"] == received(0)
    assert rows["Kotal_KTL-002.xlsx"]["errors"] == 1
    assert rows["Kotal_action_plan.xlsx"]["clusters"] == "KTL-001, KTL-003"
    assert (rows["Kotal_cut_off.xlsx"]["template"], rows["Kotal_cut_off.xlsx"]["errors"]) == (
        "", 1)
    assert rows["resent/Kotal_KTL-003_v2.xlsx"]["outcome"] == "Merged"

    # Touched but unchanged: received stays the time it was first seen.
    later = (dt.datetime(2025, 4, 2, tzinfo=dt.UTC)).timestamp()
    import os

    os.utime(folder / "Kotal_KTL-001.xlsx", (later, later))
    put_plan(folder, "Nahrin_NHR-001.xlsx", "NHR-001", 30)
    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert result.read == 1
    rows = {row["Cluster code"]: row for row in table(out, "1 Identification")}
    assert rows["KTL-001"]["Received (UTC)"] == received_cell(0)
    assert rows["NHR-001"]["Received (UTC)"] == received_cell(30)


def test_removed_files_leave_the_book_but_feedback_stays(work):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    book = openpyxl.load_workbook(out)
    sheet = book["Feedback"]
    row = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 3).value == "KTL-001")
    sheet.cell(row, 6).value = "Good plan."
    book.save(out)
    (folder / "Kotal_KTL-001.xlsx").unlink()
    (folder / "Copy of Kotal_KTL-001.xlsx").unlink()
    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert result.removed == 2
    assert "KTL-001" not in {r["Cluster code"] for r in table(out, "1 Identification")}
    feedback = {r["Cluster code"]: r for r in table(out, "Feedback")}
    assert feedback["KTL-001"]["Reviewer comment"] == "Good plan."
    assert feedback["KTL-001"]["Microplan"] == "Not received"


def test_a_book_open_in_excel_is_refused_and_nothing_is_written(work):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    before = out.read_bytes(), ledger_path(out).read_bytes()
    put_plan(folder, "Nahrin_NHR-001.xlsx", "NHR-001", 30)
    lock = out.with_name("~$" + out.name)
    lock.write_bytes(b"reviewer")
    with pytest.raises(WorkbookError, match="open in Excel"):
        merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert (out.read_bytes(), ledger_path(out).read_bytes()) == before
    assert not (out.parent / "backups").exists()


def test_a_cancelled_merge_leaves_book_and_ledger_as_they_were(work):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    before = snapshot(out.parent)
    put_plan(folder, "Nahrin_NHR-001.xlsx", "NHR-001", 30)
    heard = []

    def cancel(done: int, total: int, message: str) -> None:
        heard.append(message)
        if message.startswith("Writing"):
            raise Cancelled("cancelled by the user")

    with pytest.raises(Cancelled):
        merge_folder(MergeRequest(folder, out, clusters=clusters), cancel)
    assert heard[0].startswith("Found 10 files") and heard[-1].startswith("Writing")
    assert snapshot(out.parent) == before


def test_a_book_that_cannot_be_written_leaves_the_ledger_claiming_nothing(work, monkeypatch):
    folder, clusters, out = work
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    before = snapshot(out.parent)
    put_plan(folder, "Nahrin_NHR-001.xlsx", "NHR-001", 30)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("clusterbook.jobs.merge.write_review_book", disk_full)
    with pytest.raises(WorkbookError, match="No space left on device"):
        merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert snapshot(out.parent) == before
    with sqlite3.connect(ledger_path(out)) as connection:
        paths = {row[0] for row in connection.execute("SELECT path FROM files")}
    assert "Nahrin_NHR-001.xlsx" not in paths


def test_a_workbook_that_is_not_a_review_book_is_never_overwritten(work):
    folder, clusters, out = work
    out.parent.mkdir(parents=True)
    shutil.copy(folder / "Kotal_KTL-001.xlsx", out)
    before = out.read_bytes()
    with pytest.raises(UsageError, match="not a ClusterBook review book"):
        merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert out.read_bytes() == before
    with pytest.raises(InputError, match="level"):
        merge_folder(MergeRequest(folder, out.with_name("x.xlsx"), level="district"))


FORMULAS = ('=HYPERLINK("http://example.com","click")', "+1", "-2", "@SUM(A1)")


@pytest.fixture
def formula_book(tmp_path) -> Path:
    folder = tmp_path / "submissions"
    put_plan(folder, "Kotal_KTL-001.xlsx", "KTL-001", 0, team=FORMULAS)
    out = tmp_path / "review.xlsx"
    merge_folder(MergeRequest(folder, out))
    return out


def test_text_that_looks_like_a_formula_stays_text(formula_book):
    sheet = openpyxl.load_workbook(formula_book)["2 Team"]
    names = [sheet.cell(row, 4) for row in range(4, 8)]
    assert [cell.value for cell in names] == list(FORMULAS)
    assert {cell.data_type for cell in names} == {"s"}


@pytest.mark.libreoffice
def test_libreoffice_shows_the_text_not_a_formula(formula_book, tmp_path):
    from clusterbook.excel.libreoffice import recalculate
    from conftest import require_program

    require_program("soffice")
    recalculated = recalculate(formula_book, tmp_path / "recalculated")
    sheet = openpyxl.load_workbook(recalculated)["2 Team"]
    names = [sheet.cell(row, 4) for row in range(4, 8)]
    assert [cell.value for cell in names] == list(FORMULAS)
    assert {cell.data_type for cell in names} == {"s"}


def test_a_workbook_with_several_microplans_gives_each_its_rows(tmp_path):
    from clusterbook.forms import MICROPLAN
    from clusterbook.templates import write_form
    from merging import plan

    folder = tmp_path / "submissions"
    folder.mkdir()
    write_form(folder / "Kotal_three_clusters.xlsx", MICROPLAN,
               [plan("KTL-001"), plan("KTL-002"), plan("KTL-001", days_later=1)])
    out = tmp_path / "review.xlsx"
    merge_folder(MergeRequest(folder, out, clusters=cluster_csv(tmp_path)))
    identification = {row["Cluster code"]: row for row in table(out, "1 Identification")}
    assert sorted(identification) == ["KTL-001", "KTL-002"]
    assert identification["KTL-001"]["Sheet"] == "Identification (3)"  # signed a day later
    assert identification["KTL-002"]["Sheet"] == "Identification (2)"
    team = table(out, "2 Team")
    assert sorted({(row["Cluster code"], row["Sheet"]) for row in team}) == [
        ("KTL-001", "Team (3)"), ("KTL-002", "Team (2)")]
    [earlier] = table(out, "Superseded")
    assert (earlier["Cluster code"], earlier["Source file"]) == ("KTL-001",
                                                               "Kotal_three_clusters.xlsx")
    assert earlier["Why it is not current"].startswith("The same workbook has another")
    outcome = {row["File"]: row["Outcome"] for row in table(out, "Files")}
    assert outcome["Kotal_three_clusters.xlsx"] == "Merged (2 of 3 forms current)"
