"""The demo's worksheet-functions book, reopened: it shows what the functions give."""

from __future__ import annotations

import openpyxl

from clusterbook import classify_clusters
from clusterbook.reports.functions_example import write_functions_example


def test_the_example_book_shows_the_functions_answers(tmp_path, sample_region):
    path = write_functions_example(tmp_path / "functions.xlsx", sample_region.rounds)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["CLUSTER_STATUS", "CLUSTER_FLAGS", "PCA", "Refusals"]

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
