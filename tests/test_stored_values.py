"""The values books store beside their formulas, read as a viewer that does not recalculate
reads them: the CCPM report after a workshop, a checked copy's live check, the data book.

(Every book is also recalculated by LibreOffice and compared cell by cell in
test_books_recalculated; these tests need no spreadsheet program and name what a user saw.)
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from clusterbook.ccpm.readback import read_report
from clusterbook.domain.ccpm import check_annex, quarterly_progress
from clusterbook.domain.rules import classify_clusters
from clusterbook.domain.table import prepare_round_table
from clusterbook.excel.cached import formula_values
from clusterbook.forms import CCPM, MICROPLAN
from clusterbook.forms.ccpm import ANNEX_STATUS
from clusterbook.forms.ccpm_bank import FUNCTION_LABELS
from clusterbook.forms.databook import CURRENT_SHEET, PCA
from clusterbook.jobs.ccpm import ReportRequest, run_report
from clusterbook.reports.checks_book import LIVE_CHECKS_SHEET, write_checked_copy
from clusterbook.sample.ccpm import sample_ccpm_data, sample_workshop
from clusterbook.sample.submissions import microplan_data, with_mistake
from clusterbook.templates import write_form
from clusterbook.templates.databook import write_databook
from clusterbook.templates.databook_content import databook_content
from clusterbook.templates.form_book import live_check_rows


@pytest.fixture(scope="module")
def final_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("ccpm")
    workbook = write_form(folder / "nutrition-ccpm.xlsx", CCPM, sample_ccpm_data("Nutrition"))
    out = folder / "final.xlsx"
    run_report(ReportRequest([workbook], out, annex=sample_workshop("Nutrition")))
    return out


def test_the_final_report_stores_the_amended_status_and_the_true_checks(final_report):
    stored = openpyxl.load_workbook(final_report, data_only=True)
    annex = stored[ANNEX_STATUS.sheet]
    rows = range(ANNEX_STATUS.first_data_row, ANNEX_STATUS.last_data_row + 1)
    back = read_report(final_report)
    finals = [annex[f"{ANNEX_STATUS.column('final_status')}{row}"].value for row in rows]
    # Function 6 was amended to Satisfactory at the workshop: the final status says so.
    assert finals[5] == "Satisfactory"
    assert annex[f"{ANNEX_STATUS.column('computed_status')}{rows[5]}"].value == "Unsatisfactory"
    checks = [annex[f"{ANNEX_STATUS.column('check')}{row}"].value for row in rows]
    flagged = {int(finding.cell[1:]) for finding in check_annex(back.statuses, back.actions)
               if finding.sheet == ANNEX_STATUS.sheet}
    assert {row for row, text in zip(rows, checks, strict=True) if text != "OK"} == flagged


def test_the_quarterly_report_stores_the_follow_up_counts(final_report):
    stored = openpyxl.load_workbook(final_report, data_only=True)["Quarterly report"]
    follow_up = read_report(final_report).follow_up
    columns = ["actions", "Done", "In progress", "Delayed", "Not started"]
    # Each quarter: a title, a header, then one row per function from the 6th row on.
    tables = {quarter: [[cell.value for cell in stored[5 + 12 * (quarter - 1) + offset][:6]]
                        for offset in range(1, len(FUNCTION_LABELS) + 1)]
              for quarter in range(1, 5)}
    expected = {quarter: [[label, *quarterly_progress(follow_up, quarter)
                           .set_index("function").loc[str(number), columns].tolist()]
                          for number, label in enumerate(FUNCTION_LABELS, start=1)]
                for quarter in range(1, 5)}
    assert tables == expected
    assert sum(row[1] for row in tables[1]) > 0  # the sample workshop has actions


def test_a_checked_copy_keeps_the_live_checks_answer(tmp_path):
    data, _ = with_mistake(microplan_data("KTL-007"), "bad-phone")
    submission = write_form(tmp_path / "Kotal_KTL-007.xlsx", MICROPLAN, data)
    checked = write_checked_copy(submission, [])
    expected = live_check_rows(MICROPLAN, data)[0][0]
    assert expected == "Error"
    assert formula_values(submission)["Checks"]["A6"] == expected
    assert formula_values(checked)[LIVE_CHECKS_SHEET]["A6"] == expected


def test_the_data_book_stores_the_engines_statuses(tmp_path, sample_region):
    table = prepare_round_table(sample_region.rounds)
    book = write_databook(tmp_path / "book.xlsx", databook_content(table))
    flags = classify_clusters(table)
    last = flags[(flags["round"] == flags.attrs["rounds"][-1]).to_numpy()]
    current = formula_values(book)[CURRENT_SHEET]
    first = PCA.first_data_row
    stored = [tuple(current[f"{column}{first + index}"] or "" for column in "CEF")
              for index in range(len(last))]
    assert stored == list(zip(last["cluster_code"].astype(str), last["status"].astype(str),
                              last["reasons"].astype(str), strict=True))
