"""The demo's worksheet-functions book, reopened: it shows what the functions give."""

from __future__ import annotations

import re

import openpyxl

from clusterbook import classify_clusters
from clusterbook.sample.functions_example import write_functions_example


def test_the_example_book_shows_the_functions_answers(tmp_path, sample_region):
    path = write_functions_example(tmp_path / "functions.xlsx", sample_region.rounds)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["CLUSTER_STATUS", "CLUSTER_FLAGS", "MICROPLAN_CHECK", "CCPM",
                               "PCA", "Refusals"]

    status = book["CLUSTER_STATUS"]
    answers = [[status.cell(row, column).value for column in (1, 9, 11)] for row in (5, 6, 7)]
    # The spec's worked example: status in R3 and in R6.
    assert answers == [["A", "Low performing", "On track"], ["B", "On track", "Low performing"],
                       ["C", "Watch", "Low performing"]]
    assert status["J5"].value == "=CLUSTER_STATUS(B5:G5, {0,0,0,0,0,0}, 90)"
    assert status["J5"].data_type == "s"  # shown as text, not a formula

    flags = book["CLUSTER_FLAGS"]
    assert flags["E3"].value == "=CLUSTER_FLAGS(PCA!C2:N929, Refusals!C2:N929, , PCA!C1:N1)"
    rows = list(flags.iter_rows(min_row=5, values_only=True))
    engine = classify_clusters(sample_region.rounds)
    last = engine[(engine["round"] == "R12").to_numpy()]
    assert [r[2] for r in rows] == last["cluster_code"].astype(str).tolist()
    assert [r[4] for r in rows] == last["status"].astype(str).tolist()
    assert [r[5] or "" for r in rows] == last["reasons"].astype(str).tolist()
    # The formula's ranges hold the values the answers came from.
    pca = book["PCA"]
    assert [c.value for c in pca[1]][2:] == [f"R{k}" for k in range(1, 13)]
    assert pca.max_row == 929 and pca["A929"].value == rows[-1][2]


def test_the_example_book_shows_the_live_check_and_the_ccpm_functions(tmp_path, sample_region):
    from clusterbook.forms import MICROPLAN
    from clusterbook.jobs.validate import ValidateRequest, validate_paths
    from clusterbook.sample.functions_example import MICROPLAN_EXAMPLE
    from clusterbook.sample.submissions import microplan_data, with_mistake
    from clusterbook.templates.form_book import check_formula, write_form

    path = write_functions_example(tmp_path / "functions.xlsx", sample_region.rounds)
    book = openpyxl.load_workbook(path)

    check = book["MICROPLAN_CHECK"]
    assert check["A3"].value == check_formula(MICROPLAN) and check["A3"].data_type == "s"
    shown = [tuple(c.value for c in row[:4]) for row in check.iter_rows(min_row=6)]
    code, mistakes = MICROPLAN_EXAMPLE
    data = microplan_data(code)
    for kind in mistakes:
        data, _ = with_mistake(data, kind)
    plan = write_form(tmp_path / "plan.xlsx", MICROPLAN, data)
    findings = validate_paths(ValidateRequest([plan])).findings
    assert shown == [(str(f.severity).capitalize(), f.sheet, f.cell, f.message)
                     for f in findings]
    assert {f.rule for f in findings} == {"phone", "population-per-household", "review-date"}

    ccpm = book["CCPM"]
    rows = [[c.value for c in row] for row in ccpm.iter_rows(min_row=5, max_col=11)]
    # Worked by hand from ccpm.md: mean code x 25; Don't know, N/A and blanks left out.
    assert [(r[0], r[8], r[10]) for r in rows] == [
        ("1.1a", 75, "Satisfactory"),     # Agree x3 = 3
        ("2.1b", 80, "Good"),             # 4, 3, 4, 3, 2 = 3.2
        ("3.2b", 50, "Unsatisfactory"),   # 2, 3, 1, 0, 4 = 2
        ("4.1a", 25, "Weak"),             # 4, 0, 0, 0 = 1
        ("6.1c", None, "Not assessed"),   # no answer carries a score
    ]
    assert rows[0][7] == '=CCPM_SCORE(C5:G5, "Agreement")' and rows[0][9] == "=CCPM_STATUS(I5)"


def test_the_example_book_prints_in_a_handful_of_pages(tmp_path, sample_region):
    """A page per sheet: the long sheets print their first clusters and say how to print more."""
    from clusterbook.sample.functions_example import PRINTED_CLUSTERS
    from printed import printed

    path = write_functions_example(tmp_path / "functions.xlsx", sample_region.rounds)
    book = openpyxl.load_workbook(path)
    last = 4 + PRINTED_CLUSTERS
    assert book["CLUSTER_FLAGS"].print_area == f"'CLUSTER_FLAGS'!$A$1:$H${last}"
    assert book["PCA"].print_area == f"'PCA'!$A$1:$N${1 + PRINTED_CLUSTERS}"
    assert "The first 30 of the 928 clusters print" in book["CLUSTER_FLAGS"]["A2"].value

    shown = printed(path, tmp_path / "pdf")
    assert dict(shown.sheets) == dict.fromkeys(book.sheetnames, 1)
    [flags] = shown.of("CLUSTER_FLAGS")
    first, shown_last, next_one = (book["CLUSTER_FLAGS"].cell(row, 3).value
                                   for row in (5, last, last + 1))
    assert first in flags and shown_last in flags and next_one not in flags
    for name in ("PCA", "Refusals"):
        [page] = shown.of(name)
        assert "The first 30 of the 928 clusters print" in page
        assert shown_last in page and next_one not in page
    # Headers stand apart: the formula's is indented as the formulas below it.
    assert re.search(r"R6 {2,}Formula for R3", shown.text)
