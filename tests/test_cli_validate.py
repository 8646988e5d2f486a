"""`clusterbook validate` end to end: exit codes, table, JSON, the findings book, the checked
copy, and the cluster list from a CSV or the flags book."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import openpyxl
import pytest

from corpus import CLUSTER_CSV, edit, microplan, write
from test_cli_flags import SRC, run_cli


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def folder(tmp_path):
    folder = tmp_path / "Kotal"
    folder.mkdir()
    write(folder, "KTL-001.xlsx", microplan())
    bad = write(folder, "KTL-002.xlsx", microplan(code="KTL-002", name="Kotal Payan 2"))
    edit(bad, lambda book: book["Team"].__setitem__("C6", "12ab"))
    (folder / "empty.xlsx").write_bytes(b"")
    return folder


def test_a_valid_file_exits_0(tmp_path):
    path = write(tmp_path, "KTL-001.xlsx", microplan())
    result = run_cli("validate", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "1 file checked (1 form): 1 valid, 0 with errors (0 errors, 0 warnings).",
        "(--verbose lists the files without problems too)"]
    verbose = run_cli("validate", str(path), "--verbose")
    assert verbose.stdout.splitlines()[0].endswith("KTL-001.xlsx — Community Engagement, "
                                                   "Advocacy and Social Mobilization Cluster "
                                                   "Microplan: no problems found")


def test_errors_exit_1_with_a_table_naming_file_sheet_and_cell(folder):
    before = {path.name: digest(path) for path in folder.iterdir()}
    result = run_cli("validate", str(folder))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "empty.xlsx: 1 error, 0 warnings" in lines
    assert not any("KTL-001" in line for line in lines)  # valid: counted, not listed
    assert "  error    (file)  The file is empty (0 bytes). [file-empty]" in lines
    assert ("  error    Team › C6  Contact '12ab' is not a phone number: 7 to 15 digits; +, "
            "spaces and dashes are fine (e.g. +93 70 123 4567). [phone]") in lines
    assert lines[-2] == ("3 files checked (2 forms): 1 valid, 1 with errors, 1 not readable "
                         "(2 errors, 0 warnings).")
    assert {path.name: digest(path) for path in folder.iterdir()} == before


def test_json_is_a_list_of_findings(folder, tmp_path):
    csv = tmp_path / "clusters.csv"
    csv.write_text(CLUSTER_CSV, encoding="utf-8")
    result = run_cli("validate", str(folder), "--format", "json", "--clusters", str(csv))
    assert result.returncode == 1
    findings = json.loads(result.stdout)
    assert findings[0] == {"severity": "error", "rule": "file-empty",
                           "message": "The file is empty (0 bytes).", "file": "empty.xlsx",
                           "sheet": "", "cell": "", "value": ""}
    assert {(f["file"], f["rule"], f["sheet"], f["cell"], f["value"]) for f in findings} == {
        ("empty.xlsx", "file-empty", "", "", ""),
        ("KTL-002.xlsx", "phone", "Team", "C6", "12ab"),
        # KTL-002 is not on the low-performing list: no issue is needed, and it has some
    }


def test_final_and_the_flags_book_as_cluster_list(tmp_path, sample_round_csv):
    flags = tmp_path / "flags.xlsx"
    assert run_cli("flags", str(sample_round_csv), "--out", str(flags)).returncode == 0
    data = microplan(code="ZZZ-123")
    data.records["sign_off"]["status"] = "Draft"
    data.records["sign_off"]["cs_date"] = None
    path = write(tmp_path, "plan.xlsx", data)
    result = run_cli("validate", str(path), "--clusters", str(flags), "--final", "--format",
                     "json")
    assert result.returncode == 1
    assert [(f["rule"], f["sheet"], f["cell"]) for f in json.loads(result.stdout)] == [
        ("cluster-unknown", "Identification", "B6"), ("sign-off-incomplete", "Sign-off", "B8")]
    assert "not on the cluster list (flags.xlsx › Current)" in json.loads(
        result.stdout)[0]["message"]


def test_write_back_highlights_cells_in_a_copy_and_leaves_the_original(folder):
    original = folder / "KTL-002.xlsx"
    before = digest(original)
    result = run_cli("validate", str(folder), "--write-back")
    assert result.returncode == 1
    copy = folder / "KTL-002.checked.xlsx"
    assert f"Wrote {copy}" not in result.stdout
    assert "Wrote 2 checked copies beside the originals" in result.stdout
    verbose = run_cli("validate", str(folder), "--write-back", "--verbose")
    assert f"Wrote {copy}" in verbose.stdout
    assert digest(original) == before
    assert not (folder / "empty.checked.xlsx").exists()
    book = openpyxl.load_workbook(copy)
    assert book.sheetnames[0] == "Checks" and book.active.title == "Checks"
    assert "Live checks" in book.sheetnames  # the template's live check sheet is kept
    checks = book["Checks"]
    assert checks["A2"].value.startswith("1 error and 0 warnings.")
    assert [c.value for c in checks[5]] == [
        "Error", "phone", "Contact '12ab' is not a phone number: 7 to 15 digits; +, spaces "
        "and dashes are fine (e.g. +93 70 123 4567).", "Team", "C6", "12ab"]
    assert checks["E5"].hyperlink.location == "Team!C6"
    cell = book["Team"]["C6"]
    assert cell.fill.start_color.rgb.endswith("FFC7CE")
    assert "phone" in cell.comment.text
    assert book["Team"]["C5"].comment is None
    # A second run reads the original again, never the copy.
    again = run_cli("validate", str(folder), "--format", "json")
    assert {f["file"] for f in json.loads(again.stdout)} == {"empty.xlsx", "KTL-002.xlsx"}


def test_findings_book(folder, tmp_path):
    out = tmp_path / "findings.xlsx"
    result = run_cli("validate", str(folder), "--format", "xlsx", "--out", str(out))
    assert result.returncode == 1
    book = openpyxl.load_workbook(out)
    rows = list(book["Findings"].iter_rows(min_row=4, values_only=True))
    assert rows == [
        ("empty.xlsx", "error", "file-empty", "The file is empty (0 bytes).", "", "", ""),
        ("KTL-002.xlsx", "error", "phone", "Contact '12ab' is not a phone number: 7 to 15 "
         "digits; +, spaces and dashes are fine (e.g. +93 70 123 4567).", "Team", "C6", "12ab"),
    ]
    files = list(book["Files"].iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in files] == ["empty.xlsx", "KTL-001.xlsx", "KTL-002.xlsx"]
    assert files[2][3:] == (1, 0)


@pytest.mark.parametrize("args", [["validate"], ["validate", "nowhere.xlsx"],
                                  ["validate", ".", "--format", "csv"]])
def test_usage_problems_exit_2(args, tmp_path):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_write_back_keeps_an_annotated_checked_copy(folder):
    copy, kept = folder / "KTL-002.checked.xlsx", folder / "KTL-002 (old).checked.xlsx"
    assert run_cli("validate", str(folder), "--write-back").returncode == 1
    # Unchanged file, unchanged copy: written again, no '(old)' copy of a copy.
    again = run_cli("validate", str(folder), "--write-back")
    assert again.returncode == 1 and "Kept the earlier" not in again.stdout
    assert sorted(p.name for p in folder.iterdir()) == [
        "KTL-001.checked.xlsx", "KTL-001.xlsx", "KTL-002.checked.xlsx", "KTL-002.xlsx",
        "empty.xlsx"]
    # An officer writes in the checked copy; the next write-back keeps it.
    book = openpyxl.load_workbook(copy)
    book["Checks"]["H5"] = "called the vaccinator, number corrected"
    book.save(copy)
    annotated = copy.read_bytes()
    third = run_cli("validate", str(folder), "--write-back")
    assert third.returncode == 1, third.stderr
    assert f"Kept the earlier checked copy as {kept}." in third.stdout
    assert kept.read_bytes() == annotated
    assert openpyxl.load_workbook(copy)["Checks"]["H5"].value is None
    # The kept copy is a checked copy still: never read as a submission.
    listed = run_cli("validate", str(folder), "--format", "json")
    assert {f["file"] for f in json.loads(listed.stdout)} == {"empty.xlsx", "KTL-002.xlsx"}
    assert "Skipped 3 checked copies" in run_cli("validate", str(folder)).stdout


def test_the_checks_print_as_every_book_and_dates_read_in_its_style(folder, tmp_path):
    """A date typed out of the campaign window reads 20/01/2024 in the Checks sheet and the
    findings book, as the message gives its dates; the Checks sheet prints with the books'
    footer, in the books' font; the findings book shows each form's whole title."""
    import datetime as dt
    import re

    late = write(folder, "KTL-003.xlsx", microplan(code="KTL-003", name="Kotal Manda 3"))
    edit(late, lambda book: book["Activities"].__setitem__("B5", dt.datetime(2024, 1, 20)))
    assert run_cli("validate", str(late), "--write-back").returncode == 1
    checks = openpyxl.load_workbook(folder / "KTL-003.checked.xlsx")["Checks"]
    row = [cell.value for cell in checks[5]]
    assert row[1] == "date-window" and row[5] == "20/01/2024"
    assert row[2].startswith("Date 20/01/2024 is outside the campaign window")
    assert not re.search(r"\d{4}-\d\d-\d\d|\d (Jan|Feb|Mar) ", row[2])
    assert (checks.oddFooter.left.text, checks.oddFooter.right.text) == ("&A", "Page &P of &N")
    assert checks.page_margins.footer < checks.page_margins.bottom  # on the page, not below
    assert {checks["A1"].font.name, checks["A4"].font.name} == {"Calibri"}

    out = tmp_path / "findings.xlsx"
    run_cli("validate", str(late), "--format", "xlsx", "--out", str(out))
    book = openpyxl.load_workbook(out)
    assert [row[6] for row in book["Findings"].iter_rows(min_row=4, values_only=True)] == [
        "20/01/2024"]
    files = book["Files"]
    assert files.column_dimensions["B"].width >= len(files["B4"].value)


def test_a_reader_gone_away_ends_the_job_quietly(folder):
    """`clusterbook validate folder | head`: the pipe closes before the report is written."""
    reader, writer = os.pipe()
    os.close(reader)  # the reader has gone before the first line
    try:
        result = subprocess.run([sys.executable, "-m", "clusterbook", "validate", str(folder),
                                 "--verbose"], stdout=writer, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "PYTHONPATH": SRC}, timeout=300)
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 141
