"""The CCPM report book, Annex I filled as a cluster would, and the inter-cluster overview:
written, reopened and read back; formulas recalculated by LibreOffice."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from clusterbook.ccpm.readback import read_report
from clusterbook.cli import main
from clusterbook.domain.ccpm import assess, check_annex, next_due, quarterly_progress
from clusterbook.excel.libreoffice import recalculate
from clusterbook.forms.ccpm import ANNEX_ACTIONS, ANNEX_STATUS, FOLLOW_UP
from clusterbook.forms.ccpm_bank import FUNCTION_LABELS
from clusterbook.jobs.ccpm import (
    CheckRequest,
    OverviewRequest,
    ReportRequest,
    run_check,
    run_overview,
    run_report,
)
from clusterbook.sample.ccpm import description_rows, sample_survey, sample_workshop
from clusterbook.styles import BAND_COLOURS
from conftest import require_program
from spreadsheet import error_cells


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    survey = sample_survey("Nutrition")
    answers = survey.answers.copy()
    # A comment that looks like a formula must stay text.
    answers.loc[len(answers)] = ["R002", "Partner", "UN agency", "C1", "=HYPERLINK(\"x\")"]
    answers.to_csv(folder / "responses.csv", index=False)
    description_rows(survey.description).to_csv(folder / "cluster.csv", index=False)
    survey.participants.to_csv(folder / "participants.csv", index=False)
    out = folder / "report.xlsx"
    assert main(["ccpm", "report", str(folder / "responses.csv"), "--description",
                 str(folder / "cluster.csv"), "--participants",
                 str(folder / "participants.csv"), "--out", str(out)]) == 0
    return out


def test_report_book_shows_the_scores_in_their_bands(report):
    expected = assess(sample_survey("Nutrition").answers).scores
    book = openpyxl.load_workbook(report)
    assert book.sheetnames[:8] == ["Overview", "1 Service delivery", "2 Strategic decisions",
                                   "3 Planning and strategy", "4 Monitoring", "5 Preparedness",
                                   "6 Advocacy", "7 Accountability (AAP)"]
    assert {"Good practice", "Response rates", "Workshop groups", "Annex I",
            "Annex I actions", "Follow-up", "Quarterly report", "About"} <= set(book.sheetnames)
    assert "Findings" not in book.sheetnames
    overview = book["Overview"]
    rows = {str(row[0].value): row for row in overview.iter_rows(min_row=7, max_col=5)
            if row[0].value}
    functions = expected[expected["level"] == "function"]
    for line in functions.itertuples():
        cells = rows[line.function]
        assert cells[2].value == pytest.approx(line.score)
        assert cells[3].value == line.status
        assert cells[3].fill.fgColor.rgb[-6:] == BAND_COLOURS[line.status].fill
        assert cells[4].value == line.respondents
    with zipfile.ZipFile(report) as package:
        assert any(name.startswith("xl/charts/chart") for name in package.namelist())
    comments = [cell.value for row in book["1 Service delivery"].iter_rows() for cell in row
                if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert comments == ['=HYPERLINK("x")']
    assert book["1 Service delivery"]["B1"].value is None  # the title is in A1
    assert book["Annex I"].protection.sheet


def test_report_reads_back(report):
    filled = read_report(report)
    assert filled.cluster == "Nutrition (Sample Country)"
    assert filled.ccpm_date == dt.date(2025, 3, 14)
    assert filled.statuses["function"].tolist() == list("1234567")
    expected = assess(sample_survey("Nutrition").answers).scores
    functions = filled.results[filled.results["level"] == "function"]
    assert functions["status"].tolist() == expected[expected["level"] == "function"][
        "status"].tolist()
    assert filled.actions["action"].map(lambda value: value in ("", None)).all()


def fill_annex(source: Path, target: Path) -> None:
    """Fill Annex I and the follow-up as a cluster does in Excel."""
    book = openpyxl.load_workbook(source)
    status = book[ANNEX_STATUS.sheet]
    row = ANNEX_STATUS.first_data_row
    # Function 6 (Unsatisfactory at 50.0) amended to Satisfactory with reason and note;
    # function 2 amended to Weak without a reason.
    status[f"{ANNEX_STATUS.column('amended_status')}{row + 5}"] = "Satisfactory"
    status[f"{ANNEX_STATUS.column('reason')}{row + 5}"] = "On the limit; access work shows it"
    status[f"{ANNEX_STATUS.column('consensus')}{row + 5}"] = "Plenary agreed"
    status[f"{ANNEX_STATUS.column('amended_status')}{row + 1}"] = "Weak"
    actions = book[ANNEX_ACTIONS.sheet]
    planned = ["4"] * 6 + ["5", "7"]
    for offset, function in enumerate(planned):
        line = ANNEX_ACTIONS.first_data_row + offset
        actions[f"A{line}"] = FUNCTION_LABELS[int(function) - 1]
        actions[f"B{line}"] = f"Action {offset + 1}"
        actions[f"C{line}"] = "Lead agency"
        actions[f"D{line}"] = dt.datetime(2025, 6, 30)
    follow = book[FOLLOW_UP.sheet]
    progress = {0: ["In progress", "", "Done"], 1: ["Not started", "", "", "Delayed"],
                6: ["", "In progress"]}
    for offset, months in progress.items():
        for month, value in enumerate(months, start=1):
            if value:
                follow[f"{FOLLOW_UP.column(f'month_{month}')}"
                       f"{FOLLOW_UP.first_data_row + offset}"] = value
    book.save(target)


@pytest.fixture(scope="module")
def filled(report, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("filled") / "filled.xlsx"
    fill_annex(report, target)
    return target


def test_check_finds_the_annex_problems_with_their_cells(filled):
    result = run_check(CheckRequest(filled))
    found = sorted((f.rule, f.sheet, f.cell) for f in result.findings)
    assert found == [
        ("ccpm-annex-amendment", "Annex I", "E7"),        # function 2: no reason
        ("ccpm-annex-amendment", "Annex I", "F7"),        # and no consensus note
        ("ccpm-annex-no-action", "Annex I", "I7"),        # Weak now, and no action
        ("ccpm-annex-too-many", "Annex I actions", "B11"),  # the sixth action of function 4
    ]
    assert result.errors == 4
    assert "6. Advocacy" in result.report() and "amended from Unsatisfactory" in result.report()
    assert "Quarter 2: 8 actions, 1 done, 1 in progress, 1 delayed, 5 not started." \
        in result.report()


def test_check_cli_exit_codes(filled, report, capsys):
    assert main(["ccpm", "check", str(filled)]) == 1
    printed = capsys.readouterr().out
    assert "filled.xlsx › Annex I › E7: function 2: the status was amended to Weak without a " \
           "reason; record why" in printed
    # The untouched report: four functions need actions (4, 5, 6, 7) and have none.
    assert main(["ccpm", "check", str(report)]) == 1
    assert capsys.readouterr().out.count("has no priority action") == 4  # 4, 5, 6, 7


@pytest.mark.libreoffice
def test_report_formulas_agree_with_the_rules_after_recalculation(filled, tmp_path):
    require_program("soffice")
    recalculated = recalculate(filled, tmp_path / "out")
    assert error_cells(recalculated) == {}
    values = openpyxl.load_workbook(recalculated, data_only=True)
    annex = values[ANNEX_STATUS.sheet]
    back = read_report(filled)
    rows = range(ANNEX_STATUS.first_data_row, ANNEX_STATUS.last_data_row + 1)
    finals = [annex[f"{ANNEX_STATUS.column('final_status')}{row}"].value for row in rows]
    assert finals == ["Good", "Weak", "Satisfactory", "Unsatisfactory", "Weak",
                      "Satisfactory", "Unsatisfactory"]
    checks = [annex[f"{ANNEX_STATUS.column('check')}{row}"].value for row in rows]
    flagged = {finding.cell[1:] for finding in check_annex(back.statuses, back.actions)
               if finding.sheet == ANNEX_STATUS.sheet}
    # The live Check column flags exactly the rows the rules flag (row 7: function 2;
    # the sixth action of function 4 is flagged on function 4's row by the formula).
    assert {str(row) for row, text in zip(rows, checks, strict=True) if text != "OK"} == \
        flagged | {"9"}
    assert checks[3] == "More than 5 actions"
    follow = values[FOLLOW_UP.sheet]
    assert follow["A6"].value == FUNCTION_LABELS[3] and follow["B6"].value == "Action 1"
    assert follow[f"{FOLLOW_UP.column('q1')}6"].value == "Done"
    assert follow[f"{FOLLOW_UP.column('q2')}7"].value == "Delayed"
    quarterly = values["Quarterly report"]
    for quarter, header_row in ((1, 5), (2, 17)):
        expected = quarterly_progress(back.follow_up, quarter).set_index("function")
        for offset, label in enumerate(FUNCTION_LABELS, start=1):
            line = [cell.value for cell in quarterly[header_row + offset][:6]]
            assert line[0] == label
            assert line[1:] == expected.loc[str(offset), ["actions", "Done", "In progress",
                                                          "Delayed", "Not started"]].tolist()
    due = next_due(dt.date(2025, 3, 14), statuses=finals)
    overview = values["Overview"]
    dates = [cell.value for row in overview.iter_rows() for cell in row
             if isinstance(cell.value, dt.datetime)]
    assert dates[-1].date() == due.due


@pytest.fixture(scope="module")
def three_reports(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("clusters")
    paths = []
    for cluster in ("Nutrition", "Health", "WASH"):
        survey = sample_survey(cluster)
        survey.answers.to_csv(folder / f"{cluster}.csv", index=False)
        description_rows(survey.description).to_csv(folder / f"{cluster}-cd.csv", index=False)
        out = folder / f"{cluster}-report.xlsx"
        run_report(ReportRequest([folder / f"{cluster}.csv"], out,
                                 description=folder / f"{cluster}-cd.csv",
                                 annex=sample_workshop(cluster)))
        paths.append(out)
    return paths


def test_overview_merges_final_statuses(three_reports, tmp_path):
    out = tmp_path / "overview.xlsx"
    result = run_overview(OverviewRequest(three_reports, out))
    assert result.errors == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Matrix", "Scores", "Counts", "Common weaknesses", "About"]
    matrix = book["Matrix"]
    header = [cell.value for cell in matrix[4]]
    assert header[2:] == ["Nutrition (Sample Country)", "Health (Sample Country)",
                          "WASH (Sample Country)"]
    lines = {row[0].value: [cell.value for cell in row[2:5]]
             for row in matrix.iter_rows(min_row=5, max_row=21)}
    for index, cluster in enumerate(("Nutrition", "Health", "WASH")):
        scores = assess(sample_survey(cluster).answers).scores.set_index("function")
        amended = {str(number + 1): row.get("amended_status") for number, row in
                   enumerate(sample_workshop(cluster).tables["annex_status"])}
        for function, status in scores["status"].items():
            expected = amended.get(function) or status
            assert lines[function][index] == expected, (cluster, function)
    # The sample workshops amend Nutrition's function 6 and WASH's function 2 (both at 50).
    notes = [cell.value for cell in matrix["B"] if isinstance(cell.value, str)]
    assert any(note.startswith("Nutrition (Sample Country), function 6: Satisfactory agreed, "
                               "Unsatisfactory computed. The score sits on the 50 % limit")
               for note in notes)
    weak = pd.DataFrame(list(book["Common weaknesses"].iter_rows(min_row=5, values_only=True)),
                        columns=["kind", "id", "name", "clusters", "which"])
    assert weak.iloc[0]["kind"] == "function" and weak.iloc[0]["id"] == "4"
    assert weak.iloc[0]["clusters"] == 3


def test_the_overview_prints_whole_headers_and_its_matrix_on_one_page(three_reports, tmp_path):
    """Cluster names wrap whole in the header row; the matrix prints with the amendments it
    marks on one page; a count never runs into the text beside it."""
    import re

    from printed import printed

    out = tmp_path / "overview.xlsx"
    run_overview(OverviewRequest(three_reports, out))
    matrix = openpyxl.load_workbook(out)["Matrix"]
    # 'Nutrition / (Sample / Country)': three lines of 15 points.
    assert matrix.row_dimensions[4].height >= 45
    shown = printed(out, tmp_path / "pdf")
    assert shown.sheets["Matrix"] == 1
    [page] = shown.of("Matrix")
    assert "Amended statuses (2)" in page and "(Sample" in page and "Country)" in page
    assert not re.search(r"\d ?(Nutrition|Health|WASH) \(Sample", shown.text)


def test_a_function_page_keeps_counts_clear_of_the_answers(three_reports, tmp_path):
    """The number of answers and the answers beside it print apart ('40   Rarely 2', never
    '40Rarely 2')."""
    import re

    from printed import printed

    [page] = printed(three_reports[0], tmp_path / "pdf").of("1 Service delivery")
    counts = re.findall(r"(\d+)(\s*)(?:Rarely|Disagree|Yes) \d", page)
    assert counts and all(len(gap) >= 2 for _, gap in counts), counts


def test_overview_refuses_a_book_that_is_not_a_report(tmp_path, capsys):
    other = tmp_path / "flags.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "not a report"
    book.save(other)
    assert main(["ccpm", "overview", str(other), "--out", str(tmp_path / "o.xlsx")]) == 1
    assert "not a CCPM report made by ClusterBook" in capsys.readouterr().err
    assert not (tmp_path / "o.xlsx").exists()
