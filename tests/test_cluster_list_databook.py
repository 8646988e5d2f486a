"""The campaign data book as the cluster list of `merge` and `validate` (--clusters): its
clusters, and its low-performing list by its own rule parameters and benchmark overrides, the
same list its formulas show once a spreadsheet computes them."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from clusterbook.domain.clusterlist import cluster_list_from_flags
from clusterbook.domain.rules import classify_clusters
from clusterbook.excel.cluster_list import load_cluster_list
from clusterbook.forms.databook import CURRENT_SHEET, PCA
from clusterbook.jobs.databook import DataBookRequest, run_databook
from conftest import require_program

DISTRICTS = ("Kotal", "Sarband", "Regak")
RULES = {"rounds": 2, "refusal_threshold": 8.0, "exit_benchmark": 93.0}
OVERRIDE = {"R11": 86.0}


@pytest.fixture(scope="module")
def databook(tmp_path_factory, sample_region) -> tuple[Path, set[str]]:
    """A data book of three districts with its own rules and one overridden benchmark, and
    the low-performing codes the engine gives for the same rounds and rules."""
    folder = tmp_path_factory.mktemp("databook")
    rounds = sample_region.rounds[sample_region.rounds["district"].isin(DISTRICTS)]
    rounds.to_csv(folder / "rounds.csv", index=False)
    book = folder / "databook.xlsx"
    run_databook(DataBookRequest(folder / "rounds.csv", book,
                                 rules={"benchmark": OVERRIDE, **RULES}))
    flags = classify_clusters(rounds, benchmark=OVERRIDE, **RULES)
    listed = cluster_list_from_flags(flags)
    return book, {info.code for info in listed.clusters.values() if info.low_performing}


def test_the_data_book_gives_its_clusters_and_its_list(databook, sample_region):
    book, expected = databook
    clusters = load_cluster_list(book)
    codes = sample_region.clusters.loc[sample_region.clusters["district"].isin(DISTRICTS),
                                       "cluster_code"]
    assert sorted(info.code for info in clusters.clusters.values()) == sorted(codes)
    assert {info.code for info in clusters.clusters.values() if info.low_performing} == expected
    assert expected  # a list to compare, and not every cluster
    assert len(expected) < len(codes)
    default = cluster_list_from_flags(classify_clusters(
        sample_region.rounds[sample_region.rounds["district"].isin(DISTRICTS)]))
    assert {i.code for i in default.clusters.values() if i.low_performing} != expected


@pytest.mark.libreoffice
def test_the_list_is_what_the_books_formulas_show(databook, tmp_path):
    from clusterbook.excel.libreoffice import recalculate

    require_program("soffice")
    book, expected = databook
    recalculated = recalculate(book, tmp_path)
    sheet = openpyxl.load_workbook(recalculated, data_only=True, read_only=True)[CURRENT_SHEET]
    shown = {row[2] for row in sheet.iter_rows(min_row=PCA.first_data_row, values_only=True)
             if row[2] and row[4] == "Low performing"}
    assert shown == expected
    assert {info.code for info in load_cluster_list(recalculated).clusters.values()
            if info.low_performing} == expected
