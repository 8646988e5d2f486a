"""A merge killed in the middle leaves a usable book and a truthful ledger; provincial review
books merge into the regional one without losing or doubling anything; feedback goes back to
each province."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from clusterbook.consolidate.ledger import ledger_path
from clusterbook.jobs.feedback import FeedbackRequest, write_feedback_books
from clusterbook.jobs.merge import PAUSE_VARIABLE, MergeRequest, merge_folder
from merging import cluster_csv, put, put_action_plan, put_kotal_plans, put_plan, table

SRC = str(Path(__file__).resolve().parent.parent / "src")
DATA_SHEETS = ["1 Identification", "2 Team", "3 Mapping", "4 Issues", "5 Activities",
               "6 Supervision", "7 Review", "Sign-off", "Action plans"]


def ledger_rows(out: Path) -> list[tuple]:
    with sqlite3.connect(ledger_path(out)) as connection:
        return sorted(connection.execute("SELECT path, fingerprint, received FROM files"))


def merge_and_kill(folder: Path, out: Path, clusters: Path, point: str) -> None:
    """Run `clusterbook merge` in a process that pauses at ``point``, and kill it there."""
    env = {**os.environ, "PYTHONPATH": SRC, PAUSE_VARIABLE: f"{point}:120"}
    process = subprocess.Popen(
        [sys.executable, "-m", "clusterbook", "merge", str(folder), "--out", str(out),
         "--clusters", str(clusters), "--quiet"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stderr.readline()
        assert f"{point} {out.name}, paused" in line, line
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def merged(tmp_path) -> tuple[Path, Path, Path]:
    folder = tmp_path / "submissions"
    put_kotal_plans(folder)
    clusters = cluster_csv(tmp_path)
    out = tmp_path / "review.xlsx"
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    put_plan(folder, "Nahrin_NHR-001.xlsx", "NHR-001", 10)
    return folder, clusters, out


def test_a_merge_killed_while_writing_the_book_leaves_the_previous_one(merged):
    folder, clusters, out = merged
    book, ledger = out.read_bytes(), ledger_rows(out)
    merge_and_kill(folder, out, clusters, "writing")
    assert out.read_bytes() == book
    assert ledger_rows(out) == ledger  # the unfinished transaction is rolled back
    assert any(path.name.endswith(".part") for path in out.parent.iterdir())

    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert result.read == 1
    assert sorted(row["Cluster code"] for row in table(out, "1 Identification")) == [
        "KTL-001", "KTL-002", "KTL-003", "NHR-001"]
    assert not any(path.name.endswith(".part") for path in out.parent.iterdir())


def test_a_merge_killed_before_the_ledger_commits_claims_nothing(merged):
    folder, clusters, out = merged
    ledger = ledger_rows(out)
    merge_and_kill(folder, out, clusters, "recording")
    # The new book is in place; the ledger does not claim the file it did not record.
    assert "NHR-001" in {row["Cluster code"] for row in table(out, "1 Identification")}
    assert ledger_rows(out) == ledger
    result = merge_folder(MergeRequest(folder, out, clusters=clusters))
    assert not result.up_to_date and result.read == 1
    codes = [row["Cluster code"] for row in table(out, "1 Identification")]
    assert sorted(codes) == ["KTL-001", "KTL-002", "KTL-003", "NHR-001"]  # none twice
    assert merge_folder(MergeRequest(folder, out, clusters=clusters)).up_to_date


def rows_of(out: Path) -> dict[str, list[tuple]]:
    return {sheet: [tuple(row.values()) for row in table(out, sheet)] for sheet in DATA_SHEETS}


def test_provincial_books_merge_into_the_regional_book(tmp_path):
    clusters = cluster_csv(tmp_path)
    north, river = tmp_path / "Northern Hills", tmp_path / "River Plain"
    put_plan(north, "Kotal_KTL-001.xlsx", "KTL-001", 0)
    put_plan(north, "Kotal_KTL-002.xlsx", "KTL-002", 1, phone="ask DCO")
    put_plan(north, "Kotal_KTL-003.xlsx", "KTL-003", 2)
    put_plan(north, "Kotal_KTL-003_v2.xlsx", "KTL-003", 3, days_later=2)
    put(north, "Copy of Kotal_KTL-001.xlsx", (north / "Kotal_KTL-001.xlsx").read_bytes(), 4)
    put_action_plan(north, "Kotal_action_plan.xlsx", "Kotal", ("KTL-001", "KTL-003"),
                    dt.date(2025, 3, 1), 5)
    put(north, "Kotal_cut_off.xlsx", (north / "Kotal_KTL-002.xlsx").read_bytes()[:3000], 6)
    put_plan(river, "Nahrin_NHR-001.xlsx", "NHR-001", 7)

    books = tmp_path / "region"
    for folder in (north, river):
        merge_folder(MergeRequest(folder, books / f"{folder.name} review.xlsx",
                                  clusters=clusters, level="province"))
    assert table(books / "Northern Hills review.xlsx", "Summary")  # written, readable
    # The region also received a file a province sent on, and a newer one sent directly.
    shutil.copy2(north / "Kotal_KTL-001.xlsx", books / "Kotal_KTL-001.xlsx")
    put_plan(books, "Kotal_KTL-002_v2.xlsx", "KTL-002", 8, days_later=1)
    regional = tmp_path / "out" / "region.xlsx"
    result = merge_folder(MergeRequest(books, regional, clusters=clusters))

    direct = tmp_path / "all"
    direct.mkdir()
    for folder in (north, river):
        for path in folder.iterdir():
            shutil.copy2(path, direct / path.name)
    shutil.copy2(books / "Kotal_KTL-002_v2.xlsx", direct / "Kotal_KTL-002_v2.xlsx")
    expected = tmp_path / "out" / "direct.xlsx"
    merge_folder(MergeRequest(direct, expected, clusters=clusters))

    assert rows_of(regional) == rows_of(expected)  # every row once, provenance kept
    assert len(rows_of(regional)["1 Identification"]) == 4
    superseded = {(row["Source file"], row["Cluster code"], row["Current file"])
                  for row in table(regional, "Superseded")}
    assert superseded == {(row["Source file"], row["Cluster code"], row["Current file"])
                          for row in table(expected, "Superseded")}
    assert ("Kotal_KTL-002.xlsx", "KTL-002", "Kotal_KTL-002_v2.xlsx") in superseded
    assert ("Copy of Kotal_KTL-001.xlsx", "KTL-001", "Kotal_KTL-001.xlsx") in superseded
    issues = {(row["File"], row["Rule"]) for row in table(regional, "Issues")}
    assert ("Kotal_cut_off.xlsx", "file-damaged") in issues
    files = table(regional, "Files")
    assert sorted((row["Came through"] or "", row["Outcome"]) for row in files
                  if row["File"] == "Kotal_KTL-001.xlsx") == [
        ("", "Merged"), ("Northern Hills review.xlsx", "Counted once (the same file)")]
    [resent] = [row for row in files if row["File"] == "Kotal_KTL-003_v2.xlsx"]
    assert (resent["Came through"], resent["Outcome"]) == ("Northern Hills review.xlsx",
                                                           "Merged")
    summary = result.review.provinces.iloc[-1]
    assert (summary["expected"], summary["received"], summary["with_errors"]) == (4, 4, 0)


def test_feedback_goes_back_to_each_province(tmp_path):
    clusters = cluster_csv(tmp_path)
    folder = tmp_path / "submissions"
    put_plan(folder, "Kotal_KTL-001.xlsx", "KTL-001", 0, phone="070 12")
    put_plan(folder, "Nahrin_NHR-001.xlsx", "NHR-001", 1)
    put(folder, "Kotal_cut_off.xlsx", (folder / "Kotal_KTL-001.xlsx").read_bytes()[:3000], 2)
    out = tmp_path / "review.xlsx"
    merge_folder(MergeRequest(folder, out, clusters=clusters))
    book = openpyxl.load_workbook(out)
    sheet = book["Feedback"]
    for row in range(4, sheet.max_row + 1):
        if sheet.cell(row, 3).value == "KTL-001":
            sheet.cell(row, 5).value, sheet.cell(row, 6).value = "Returned", "Fix the phone."
    book.save(out)

    paths = write_feedback_books(FeedbackRequest(out, tmp_path / "feedback")).books
    assert [path.name for path in paths] == ["Northern Hills feedback.xlsx",
                                             "River Plain feedback.xlsx"]
    north = openpyxl.load_workbook(paths[0])
    clusters_rows = {row[1]: row for row in north["Feedback"].iter_rows(min_row=4,
                                                                          values_only=True)}
    assert sorted(clusters_rows) == ["KTL-001", "KTL-002", "KTL-003"]
    assert clusters_rows["KTL-001"][3:5] == ("Returned", "Fix the phone.")
    findings = [row for row in north["Findings"].iter_rows(min_row=4, values_only=True)]
    assert {(row[1], row[3]) for row in findings} == {("phone", "Kotal_KTL-001.xlsx"),
                                                     ("file-damaged", "Kotal_cut_off.xlsx")}
    river = openpyxl.load_workbook(paths[1])
    assert [row[1] for row in river["Feedback"].iter_rows(min_row=4, values_only=True)] == [
        "NHR-001"]
    assert list(river["Findings"].iter_rows(min_row=4, values_only=True)) == []
