"""`clusterbook flags` and `clusterbook demo` end to end: run, reopen what was written, check."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import clusterbook
from clusterbook import classify_clusters
from clusterbook.cli import main
from printed import printed

SRC = str(Path(clusterbook.__file__).parent.parent)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": SRC}
    return subprocess.run([sys.executable, "-m", "clusterbook", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_flags_book_matches_the_engine(tmp_path, sample_round_csv, sample_region):
    out = tmp_path / "flags.xlsx"
    assert main(["flags", str(sample_round_csv), "--out", str(out)]) == 0
    book = openpyxl.load_workbook(out, read_only=False)
    assert book.sheetnames == ["Current", "Summary", "Rounds", "Flags", "About"]
    flags_sheet = book["Flags"]
    assert flags_sheet.auto_filter.ref == "A3:O11139"
    assert flags_sheet.freeze_panes == "E4"
    header = [cell.value for cell in flags_sheet[3]]
    rows = list(flags_sheet.iter_rows(min_row=4, values_only=True))
    written = pd.DataFrame(rows, columns=header)
    expected = classify_clusters(sample_region.rounds)
    assert len(written) == len(expected) == 928 * 12
    assert written["Status"].tolist() == expected["status"].astype(str).tolist()
    assert written["Cluster code"].tolist() == expected["cluster_code"].astype(str).tolist()
    current = pd.DataFrame(list(book["Current"].iter_rows(min_row=4, values_only=True)),
                           columns=[c.value for c in book["Current"][3]])
    assert len(current) == 928 and set(current["Round"]) == {"R12"}
    listed = current[current["Status"] == "Low performing"]
    assert listed["Priority"].tolist() == list(range(1, len(listed) + 1))
    # The grid: one row per cluster, the engine's status in every round.
    grid = pd.DataFrame(list(book["Rounds"].iter_rows(min_row=4, values_only=True)),
                        columns=[c.value for c in book["Rounds"][3]])
    assert len(grid) == 928
    assert list(grid.columns[4:]) == [f"R{number}" for number in range(1, 13)]
    words = {"Low performing": "Low", "Watch": "Watch", "On track": "On track",
             "No data": "No data"}
    statuses = expected["status"].astype(str).map(words).to_numpy().reshape(928, 12)
    assert (grid.iloc[:, 4:].to_numpy() == statuses).all()
    assert grid["Cluster code"].tolist() == list(expected["cluster_code"].cat.categories)
    # What prints: the low-performing list, the summary and About; the long sheets only
    # their headers.
    assert book["Current"].print_area == f"'Current'!$A$1:$O${3 + len(listed)}"
    assert book["Rounds"].print_area == "'Rounds'!$A$1:$P$3"
    assert book["Flags"].print_area == "'Flags'!$A$1:$O$3"
    assert book["Current"].print_title_rows == "$3:$3"


def test_a_national_book_writes_the_grid_without_the_long_table(tmp_path, monkeypatch):
    """When every cluster in every round does not fit one sheet, the book keeps the grid and
    says where the whole table is (the sheet limit is lowered to keep the test small)."""
    from clusterbook.reports import flags_book
    from clusterbook.sample.region import scaled_round_data

    monkeypatch.setattr(flags_book, "MAX_ROWS", 2_000)
    monkeypatch.setattr(flags_book, "PRINTED_LIST_LIMIT", 50)
    flags = classify_clusters(scaled_round_data(300, 24))
    out = flags_book.write_flags_book(flags, tmp_path / "national.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Current", "Summary", "Rounds", "About"]
    assert book["Rounds"].max_row == 3 + 300 and book["Rounds"].max_column == 4 + 24
    assert book["Current"].print_area == "'Current'!$A$1:$O$53"
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    assert "write the whole table with --out FLAGS.csv" in about["Every cluster in every round"]


def test_flags_summary_sheet_totals(tmp_path, sample_round_csv):
    out = tmp_path / "flags.xlsx"
    main(["flags", str(sample_round_csv), "--out", str(out)])
    sheet = openpyxl.load_workbook(out)["Summary"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    region = next(row for row in rows if row[0] == "Region")
    districts = [row for row in rows if row[1] not in ("All districts", None)]
    assert len(districts) == 24
    assert region[2] == 928 == sum(row[2] for row in districts)
    assert region[3] == sum(row[3] for row in districts)


def test_flags_csv_output_and_weighted_benchmark(tmp_path, sample_round_csv):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(sample_round_csv), "--out", str(out), "--benchmark", "weighted",
                 "--rounds", "2"]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert len(written) == 928 * 12
    region = pd.read_csv(sample_round_csv)
    expected = classify_clusters(region, benchmark="weighted", rounds=2)
    assert written["status"].tolist() == expected["status"].astype(str).tolist()


def test_bad_input_is_one_clear_message_without_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("Province,District,Cluster,Round,PCA,Refusal\nP,D,C1,R1,9O,1\n")
    result = run_cli("flags", str(bad), "--out", str(tmp_path / "out.xlsx"))
    assert result.returncode == 1
    assert result.stderr == ("clusterbook flags: bad.csv › row 2, column 'PCA': PCA coverage "
                             "'9O' is not a number.\n")
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("args", [["flags", "x.csv", "--rounds", "0"],
                                  ["flags", "x.csv", "--benchmark", "median"],
                                  ["flags", "x.csv", "--refusal-threshold", "150"],
                                  ["nonsense"]])
def test_usage_errors_exit_2(args):
    result = run_cli(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_version_and_help():
    assert run_cli("--version").stdout.strip() == f"clusterbook {clusterbook.__version__}"
    help_text = run_cli("flags", "--help").stdout
    assert "--benchmark NUMBER|mean|weighted" in help_text
    assert "Example:" in help_text


def test_a_book_open_in_excel_is_not_overwritten(tmp_path, sample_round_csv):
    out = tmp_path / "flags.xlsx"
    out.write_bytes(b"previous book")
    (tmp_path / "~$flags.xlsx").write_bytes(b"lock")
    result = run_cli("flags", str(sample_round_csv), "--out", str(out))
    assert result.returncode == 1
    assert "open in Excel" in result.stderr
    assert out.read_bytes() == b"previous book"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["flags.xlsx", "~$flags.xlsx"]


def listed(stdout: str) -> list[str]:
    """The files the demo says it wrote."""
    return [re.split(r"\s{2,}", line.strip())[0]  # paths may hold single spaces
            for line in stdout.split("Wrote:")[1].strip().splitlines()]


def test_demo_writes_what_it_says_and_runs_again_into_its_folder(demo_run, tmp_path):
    for name in listed(demo_run.stdout):
        assert (demo_run.folder / name).stat().st_size > 0, name
    assert "Synthetic" in demo_run.stdout
    # The user writes in the demo's flags book and adds a file; the demo runs again.
    folder = tmp_path / "demo"
    shutil.copytree(demo_run.folder, folder)
    written = {path.relative_to(folder) for path in folder.rglob("*") if path.is_file()}
    book = openpyxl.load_workbook(folder / "flags.xlsx")
    book.active["Z1"] = "my note"
    book.save(folder / "flags.xlsx")
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    again = run_cli("demo", "--out", str(folder))
    assert again.returncode == 0, again.stderr
    assert listed(again.stdout) == listed(demo_run.stdout)
    now = {path.relative_to(folder) for path in folder.rglob("*") if path.is_file()}
    assert now == written | {Path("flags (old).xlsx"), Path("notes.txt")}
    for name, note in (("flags (old).xlsx", "my note"), ("flags.xlsx", None)):
        book = openpyxl.load_workbook(folder / name, read_only=True)
        assert book.active["Z1"].value == note, name
        book.close()
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_flags_book_prints_in_a_handful_of_pages(tmp_path, sample_round_csv):
    """LibreOffice prints the low-performing list, the summary and About; the long sheets give
    one page each (their headers and a note), not hundreds."""
    out = tmp_path / "flags.xlsx"
    assert main(["flags", str(sample_round_csv), "--out", str(out)]) == 0
    shown = printed(out, tmp_path / "pdf")
    pages, text = shown.pages, shown.text
    assert len(pages) <= 12
    assert dict(shown.sheets) == {
        "Current": len(pages) - 4, "Summary": 1, "Rounds": 1, "Flags": 1, "About": 1}
    # Whole headers, and a reason never runs into the next column.
    assert "Refusal above 10%R" not in text
    assert re.search(r"Rounds to enter or leave the list \(N\)\s+3", text)


def test_rounds_labelled_by_date_show_in_the_books_date_style(tmp_path, sample_region):
    """Round labels that are dates read 15/03/2025 in titles, headers and cells, in columns
    wide enough for them; the About sheet's date too."""
    import datetime as dt

    from clusterbook.reports.flags_book import write_flags_book

    rounds = sample_region.rounds
    rounds = rounds[rounds["cluster_code"].isin(rounds["cluster_code"].unique()[:40])].copy()
    rounds["round"] = rounds["round"].map({f"R{k}": dt.date(2025, k, 15) for k in range(1, 13)})
    book = openpyxl.load_workbook(write_flags_book(classify_clusters(rounds),
                                                   tmp_path / "flags.xlsx"))
    current = book["Current"]
    assert current["A1"].value == "Status in 15/12/2025, highest priority first"
    assert {current.cell(row, 5).value for row in range(4, 44)} == {"15/12/2025"}
    entered = {current.cell(row, 11).value for row in range(4, 44)} - {None}
    assert entered and all(re.fullmatch(r"15/\d\d/2025", text) for text in entered)
    assert current.column_dimensions["E"].width >= 11
    assert book["Summary"]["A1"].value == "Clusters by district in 15/12/2025"
    assert [cell.value for cell in book["Rounds"][3]][4:6] == ["15/01/2025", "15/02/2025"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows(max_col=2)}
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", about["Made on"])
