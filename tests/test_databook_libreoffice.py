"""Proof in real spreadsheet engines: LibreOffice (and Gnumeric) recalculate the data book with
no Python, every Status cell equals the engine's status for that cluster and round, and every
formula cell's stored value equals what they compute.

One recalculation costs seconds, so each book holds many clusters: the sample region's 928,
or a few hundred generated clusters per Hypothesis example.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cached_values import check_stored_values
from clusterbook.domain.rules import STATUS_LABELS, RuleParameters, classify_clusters
from clusterbook.domain.summary import summarize
from clusterbook.domain.table import prepare_round_table
from clusterbook.excel.libreoffice import recalculate
from clusterbook.forms.databook import (
    ADDIN_SHEET,
    BENCHMARKS,
    CURRENT_SHEET,
    DASHBOARD_SHEET,
    MAX_CLUSTERS,
    MAX_ROUNDS,
    PCA,
    STATUS_SHEET,
)
from clusterbook.jobs.databook import DataBookRequest, run_databook
from clusterbook.templates.databook import write_databook
from clusterbook.templates.databook_content import databook_content
from conftest import require_program
from printed import printed

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

FIRST = PCA.first_data_row


def read_rows(sheet, first_row: int, last_row: int, columns: int) -> list[list[object]]:
    return [["" if value is None else value for value in row]
            for row in sheet.iter_rows(min_row=first_row, max_row=last_row, max_col=columns,
                                       values_only=True)]


def label_text(value: object) -> str:
    """A round label as the engine writes it: dates as dates, whatever a reader returns."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, float):  # a date serial in a cell shown as a date
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))).isoformat()
    return "" if value is None else str(value)


def engine_label(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def assert_book_matches_engine(written: Path, recalculated: Path, flags: pd.DataFrame,
                               clusters: int) -> None:
    """Every Status cell, and Current's status, reasons, entry round and rounds on the list,
    equal the engine's; unused rows and round columns are blank; every formula stored what
    the spreadsheet computed; nothing errs, and the add-in cell says it needs the add-in."""
    rounds = flags.attrs["rounds"]
    book = openpyxl.load_workbook(recalculated, data_only=True, read_only=True)
    try:
        status = read_rows(book[STATUS_SHEET], FIRST, FIRST + clusters, 1 + MAX_ROUNDS)
        current = read_rows(book[CURRENT_SHEET], FIRST, FIRST + clusters, 10)
        dashboard = read_rows(book[DASHBOARD_SHEET], 5, 5, 8)[0]
        benchmarks = read_rows(book[BENCHMARKS.sheet], BENCHMARKS.row_of_round(1),
                               BENCHMARKS.last_row, BENCHMARKS.in_use_column)
    finally:
        book.close()

    expected = flags["status"].astype(str).to_numpy().reshape(clusters, len(rounds))
    got = np.array([row[1:1 + len(rounds)] for row in status[:clusters]], dtype=object)
    codes = flags["cluster_code"].astype(str).to_numpy().reshape(clusters, len(rounds))[:, 0]
    assert [row[0] for row in status[:clusters]] == codes.tolist()
    wrong = np.argwhere(got != expected)
    assert not len(wrong), [(codes[c], rounds[r], got[c, r], expected[c, r])
                            for c, r in wrong[:10]]
    assert all(value == "" for row in status[:clusters] for value in row[1 + len(rounds):])
    assert all(value == "" for value in status[clusters])  # the first unused row

    last = flags[(flags["round"] == rounds[-1]).to_numpy()].reset_index(drop=True)
    for column, key in ((4, "status"), (5, "reasons"), (6, "entered_round"),
                        (7, "rounds_on_list")):
        engine = [engine_label(value) for value in last[key].astype(object)]
        book_values = [label_text(row[column]) if key == "entered_round"
                       else str(int(row[column]) if isinstance(row[column], float)
                                else row[column]) for row in current[:clusters]]
        mismatches = [(codes[i], a, b) for i, (a, b) in enumerate(zip(book_values, engine,
                                                                      strict=True)) if a != b]
        assert not mismatches, (key, mismatches[:10])

    benchmark = flags.groupby("round", observed=True, sort=True)["benchmark"].first()
    for number, label in enumerate(rounds, start=1):
        row = benchmarks[number - 1]
        assert label_text(row[0]) == engine_label(label)
        assert (row[BENCHMARKS.used_column - 1] == "") == np.isnan(benchmark[label])
        if not np.isnan(benchmark[label]):
            assert row[BENCHMARKS.used_column - 1] == pytest.approx(benchmark[label], abs=1e-9)

    region = summarize(flags).query("level == 'region'").iloc[0]
    assert dashboard[2:7] == [region["clusters"], region["low_performing"], region["watch"],
                              region["on_track"], region["no_data"]]
    assert check_stored_values(written, recalculated) == {}


def test_sample_region_book_flags_as_the_engine(demo_run, recalculated_demo, sample_region):
    """The demo's data book: `clusterbook databook` on the sample region's round data and
    cluster list."""
    book = demo_run.folder / "databook.xlsx"
    recalculated = recalculated_demo[book]

    flags = classify_clusters(sample_region.rounds)
    assert_book_matches_engine(book, recalculated, flags, clusters=928)
    # District counts of the dashboard equal the engine's summary.
    summary = summarize(flags).query("level == 'district'")
    values = openpyxl.load_workbook(recalculated, data_only=True, read_only=True)
    rows = read_rows(values[DASHBOARD_SHEET], 6, 6 + len(summary), 7)
    values.close()
    by_district = {(row[0], row[1]): row[2:7] for row in rows if row[1]}
    assert len(by_district) == len(summary) == 24
    for item in summary.itertuples():
        assert by_district[(item.province, item.district)] == [
            item.clusters, item.low_performing, item.watch, item.on_track, item.no_data]


def test_the_addin_sheet_prints_one_page(tmp_path):
    """The add-in sheet of a 150-cluster book prints its note, headers and the first row (the
    message without the add-in) on one page, not a page of empty rows per 30 clusters."""
    table = pd.DataFrame({"Province": "P", "District": "D",
                          "Cluster code": np.repeat([f"C{i:03}" for i in range(150)], 3),
                          "Round": np.tile(["R1", "R2", "R3"], 150),
                          "PCA": 90.0, "Refusal rate": 1.0})
    book = write_databook(tmp_path / "book.xlsx", databook_content(prepare_round_table(table)))
    shown = printed(book, tmp_path / "pdf")
    assert shown.sheets[ADDIN_SHEET] == 1
    [page] = shown.of(ADDIN_SHEET)
    assert "Needs the ClusterBook add-in" in page and "Only the first row prints" in page
    assert "C000" in page and "C001" not in page


# ---------------------------------------------------------------------------------------------
# Held-out data: generated regions with missing rounds and values exactly at the thresholds.

PCA_EDGES = (95.0, 95.5, 94.5, 90.0, 100.0, 0.0)
REFUSAL_EDGES = (10.0, 10.5, 9.5, 0.0, 100.0)


@st.composite
def regions(draw) -> tuple[pd.DataFrame, dict]:
    """A long round table of a few hundred clusters and the rule parameters to use.

    Hypothesis draws the shape, the parameters, the edge values and a handful of clusters
    cell by cell; the bulk of the clusters come from a seeded generator (a Hypothesis
    example cannot hold 10,000 drawn values) with streaky levels, missing values, missing
    rows, whole rounds without any PCA value, and values exactly at 10 % and 95 %.
    """
    rounds = draw(st.integers(4, 14))
    bulk = draw(st.integers(200, 450))
    seed = draw(st.integers(0, 2**32 - 1))
    parameters = {"rounds": draw(st.sampled_from((3, 3, 2, 4))),
                  "refusal_threshold": draw(st.sampled_from((10.0, 10.0, 5.0, 12.5))),
                  "exit_benchmark": draw(st.sampled_from((95.0, 95.0, 90.0)))}
    dated = draw(st.booleans())
    labels = ([dt.date(2025, 1, 6) + dt.timedelta(days=28 * index) for index in range(rounds)]
              if dated else [f"R{index + 1}" for index in range(rounds)])
    empty_rounds = draw(st.sets(st.integers(0, rounds - 1), max_size=2)) if rounds > 2 else set()
    overrides = draw(st.dictionaries(st.sampled_from(range(rounds)),
                                     st.sampled_from((90.0, 95.0, 85.5)), max_size=2))
    value = st.one_of(st.none(), st.sampled_from(PCA_EDGES),
                      st.integers(60, 100).map(float))
    refusal = st.one_of(st.none(), st.sampled_from(REFUSAL_EDGES),
                        st.integers(0, 30).map(float))
    hand = draw(st.lists(st.lists(st.tuples(value, refusal), min_size=rounds,
                                  max_size=rounds), max_size=12))

    rng = np.random.default_rng(seed)
    level = rng.choice([80.0, 90.0, 94.0, 96.0], bulk)[:, None] * np.ones(rounds)
    # A fifth of the clusters improve from some round on, so they leave the list.
    improving = rng.random(bulk) < 0.2
    level[improving] = np.where(np.arange(rounds) >= rng.integers(1, rounds, bulk)[improving,
                                                                                  None],
                                97.5, level[improving])
    pca = np.round((level + rng.normal(0, 2.5, (bulk, rounds))) * 2) / 2  # 0.5 steps
    pca = np.clip(pca, 0, 100)
    edge = rng.random((bulk, rounds))
    pca = np.where(edge < 0.12, 95.0, pca)
    pca = np.where(edge > 0.9, np.nan, pca)
    refusals = np.where(rng.random(bulk)[:, None] < 0.2,
                        rng.choice([8.0, 10.0, 12.0, 15.0], (bulk, rounds)),
                        rng.choice([0.0, 1.5, 3.0, 10.0], (bulk, rounds)))
    refusals = np.where(rng.random((bulk, rounds)) > 0.93, np.nan, refusals)
    present = rng.random((bulk, rounds)) > 0.05  # a missing row is a missing value too
    for index in empty_rounds:
        pca[:, index] = np.nan
    rows = []
    for cluster in range(bulk + len(hand)):
        for index, label in enumerate(labels):
            if cluster < bulk:
                if not present[cluster, index] and index not in empty_rounds:
                    continue
                pca_value, refusal_value = pca[cluster, index], refusals[cluster, index]
            else:
                pca_value, refusal_value = hand[cluster - bulk][index]
                if index in empty_rounds:
                    pca_value = None
            rows.append({"Province": f"P{cluster % 3}", "District": f"D{cluster % 7}",
                         "Cluster code": f"G-{cluster:04d}", "Round": label,
                         "PCA coverage": pca_value, "Refusal rate": refusal_value})
    frame = pd.DataFrame(rows)
    # Every round keeps at least one row, so it is a round of the input.
    parameters["benchmark"] = {labels[index]: number for index, number in overrides.items()}
    return frame, parameters


# Each example is a LibreOffice recalculation of a full book (about 20 CPU seconds): a few
# examples of hundreds of clusters each, and no shrinking (a failure reports every cluster
# and round that differ, which is what one needs to see).
@settings(max_examples=3, deadline=None, phases=(Phase.explicit, Phase.reuse, Phase.generate),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(regions())
def test_generated_regions_flag_as_the_engine(tmp_path_factory, region):
    require_program("soffice")
    frame, parameters = region
    table = prepare_round_table(frame)
    folder = tmp_path_factory.mktemp("generated")
    flags = classify_clusters(table, **parameters)
    clusters = flags["cluster_code"].nunique()
    assert clusters <= MAX_CLUSTERS
    rules = {key: parameters[key] for key in ("rounds", "refusal_threshold", "exit_benchmark")}
    content = databook_content(table, benchmark=parameters["benchmark"],
                               parameters=RuleParameters(**rules))
    book = write_databook(folder / "in" / "book.xlsx", content)

    recalculated = recalculate(book, folder / "out")

    assert_book_matches_engine(book, recalculated, flags, clusters=clusters)
    statuses = set(flags["status"].astype(str))
    assert statuses <= set(STATUS_LABELS)


def test_sample_region_book_flags_as_the_engine_in_gnumeric(tmp_path, sample_round_csv,
                                                            sample_region):
    """Gnumeric reads INDEX(row, n) as the n-th row, where Excel and LibreOffice read the n-th
    column; the book writes INDEX(row, 1, n), so Gnumeric gives the engine's statuses too."""
    import subprocess

    program = require_program("ssconvert")
    clusters_csv = tmp_path / "clusters.csv"
    sample_region.clusters.to_csv(clusters_csv, index=False)
    book = run_databook(DataBookRequest(sample_round_csv, tmp_path / "in" / "book.xlsx",
                                        clusters=clusters_csv)).out
    recalculated = tmp_path / "out" / "book.xlsx"
    recalculated.parent.mkdir()
    subprocess.run([program, "--recalc", str(book), str(recalculated)], check=True,
                   capture_output=True, timeout=600)

    assert_book_matches_engine(book, recalculated, classify_clusters(sample_region.rounds),
                               clusters=928)
