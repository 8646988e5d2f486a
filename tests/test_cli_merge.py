"""`clusterbook merge` and `clusterbook feedback` end to end, as an officer runs them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from merging import cluster_csv, put, put_plan

SRC = str(Path(__file__).resolve().parent.parent / "src")


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "clusterbook", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_merge_then_feedback_from_the_command_line(tmp_path):
    folder = tmp_path / "Northern Hills"
    put_plan(folder, "Kotal_KTL-001.xlsx", "KTL-001", 0, phone="070 12")
    put_plan(folder, "Kotal_KTL-002.xlsx", "KTL-002", 1)
    put(folder, "Kotal_cut_off.xlsx", (folder / "Kotal_KTL-002.xlsx").read_bytes()[:2000], 2)
    clusters = cluster_csv(tmp_path)
    out = tmp_path / "province review.xlsx"

    first = run_cli("merge", str(folder), "--out", str(out), "--clusters", str(clusters),
                    "--level", "province")
    assert first.returncode == 1, first.stderr  # findings in the data, the book written
    assert first.stdout.startswith("Merged 3 files into")
    assert "2 current microplans for 3 clusters expected (1 valid, 1 with errors, 1 not " \
           "received)" in first.stdout
    assert "1 not readable" in first.stdout
    book = openpyxl.load_workbook(out)
    assert book["_clusterbook"]["B3"].value == "province"
    assert book["Summary"]["A1"].value == "Provincial review book: Northern Hills"

    again = run_cli("merge", str(folder), "--out", str(out), "--clusters", str(clusters),
                    "--level", "province")
    assert again.returncode == 1 and "is up to date" in again.stdout  # the same findings

    feedback = run_cli("feedback", str(out), "--out", str(tmp_path / "feedback"))
    assert feedback.returncode == 0, feedback.stderr
    written = tmp_path / "feedback" / "Northern Hills feedback.xlsx"
    assert written.exists()
    assert feedback.stdout.strip() == (f"Wrote 1 feedback book into {tmp_path / 'feedback'} "
                                       f"(--verbose lists them).")


def test_usage_problems_and_an_open_book(tmp_path):
    folder = tmp_path / "in"
    put_plan(folder, "Kotal_KTL-001.xlsx", "KTL-001", 0)
    missing = run_cli("merge", str(tmp_path / "nowhere"), "--out", str(tmp_path / "r.xlsx"))
    assert missing.returncode == 2 and "no such folder" in missing.stderr
    assert missing.stderr.startswith("clusterbook merge: ")
    wrong = run_cli("merge", str(folder), "--out", str(tmp_path / "r.csv"))
    assert wrong.returncode == 2 and "must end in .xlsx" in wrong.stderr
    level = run_cli("merge", str(folder), "--out", str(tmp_path / "r.xlsx"), "--level", "x")
    assert level.returncode == 2
    (tmp_path / "~$r.xlsx").write_bytes(b"someone")
    locked = run_cli("merge", str(folder), "--out", str(tmp_path / "r.xlsx"))
    assert locked.returncode == 1
    assert "open in Excel or LibreOffice" in locked.stderr and "Traceback" not in locked.stderr
    assert not (tmp_path / "r.xlsx").exists()
    no_book = run_cli("feedback", str(tmp_path / "none.xlsx"), "--out", str(tmp_path / "f"))
    assert no_book.returncode == 2
    not_review = run_cli("feedback", str(folder / "Kotal_KTL-001.xlsx"), "--out",
                         str(tmp_path / "f"))
    assert not_review.returncode == 1 and "not a ClusterBook review book" in not_review.stderr
    listed = run_cli("--help")
    assert "merge" in listed.stdout and "feedback" in listed.stdout


def test_merge_into_a_book_that_is_not_a_review_book_is_a_usage_error(tmp_path):
    folder = tmp_path / "in"
    put_plan(folder, "Kotal_KTL-001.xlsx", "KTL-001", 0)
    mine = tmp_path / "my notes.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "my own notes"
    book.save(mine)
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}

    wrong = run_cli("merge", str(folder), "--out", str(mine))
    assert wrong.returncode == 2, wrong.stderr
    assert wrong.stderr == (f"clusterbook merge: '{mine}' is not a ClusterBook review book "
                            f"(clusterbook-review); it was left as it is (nothing was "
                            f"written). Give the review book's name, or a new file name\n")
    after = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}
    assert after == before and not (tmp_path / "backups").exists()
    assert openpyxl.load_workbook(mine).active["A1"].value == "my own notes"
    # The right name: a new review book; no errors in the merged file, so exit 0.
    good = run_cli("merge", str(folder), "--out", str(tmp_path / "review.xlsx"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert ", 0 errors in all" in good.stdout
    assert openpyxl.load_workbook(tmp_path / "review.xlsx")["_clusterbook"]["B3"].value == \
        "region"
