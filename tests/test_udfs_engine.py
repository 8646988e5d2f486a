"""On random tables the worksheet functions give exactly the engine's answers.

CLUSTER_FLAGS is checked against ``classify_clusters`` on the same data laid out as a long
round table; CLUSTER_STATUS against ``walk_rounds`` on the cluster's row. Arguments are built
as Excel passes them (floats, None for empty cells, flat lists for one row).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from clusterbook import classify_clusters
from clusterbook.domain.rules import STATUS_LABELS, RuleParameters, walk_rounds
from clusterbook.udfs import CLUSTER_FLAGS, CLUSTER_STATUS
from excel_shapes import row, table

# Values gather at the thresholds so that equality cases come up often.
pca_value = st.one_of(st.none(), st.sampled_from([50.0, 85.0, 89.9, 90.0, 94.9, 95.0, 95.1,
                                                  100.0]),
                      st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1)))
refusal_value = st.one_of(st.none(), st.sampled_from([0.0, 0.5, 5.0, 9.9, 10.0, 10.1, 25.0]),
                          st.floats(0, 40, allow_nan=False).map(lambda v: round(v, 1)))
#: A quiet region: every refusal rate at most 1 %, which the spec's rule reads as fractions
#: when a whole table holds nothing else.
quiet_refusal = st.one_of(st.none(), st.sampled_from([0.0, 0.3, 0.5, 1.0]))
benchmark_cell = st.one_of(st.none(), st.sampled_from([80.0, 89.9, 90.0, 97.5]))


@st.composite
def excel_tables(draw):
    """PCA and refusal tables as a sheet holds them, sometimes % formatted (fractions), with
    empty cluster rows and unused columns on the right."""
    rounds, clusters = draw(st.integers(1, 8)), draw(st.integers(1, 7))
    pca = [[draw(pca_value) for _ in range(rounds)] for _ in range(clusters)]
    refusals = draw(st.sampled_from([refusal_value, quiet_refusal]))
    refusal = [[draw(refusals) for _ in range(rounds)] for _ in range(clusters)]
    if draw(st.booleans()):  # cells formatted as %
        pca, refusal = ([[None if v is None else v / 100 for v in r] for r in t]
                        for t in (pca, refusal))
    for position in draw(st.lists(st.integers(0, clusters), max_size=3)):
        pca.insert(position, [None] * rounds)
        refusal.insert(position, [None] * rounds)
    unused = draw(st.integers(0, 3))
    pca = [r + [None] * unused for r in pca]
    refusal = [r + [None] * unused for r in refusal]
    return pca, refusal, rounds


def parameters():
    return st.builds(RuleParameters, st.integers(1, 4), st.sampled_from([5.0, 10.0]),
                     st.sampled_from([90.0, 95.0]))


def is_empty(values: list) -> bool:
    return all(v is None for v in values)


@given(excel_tables(), parameters(),
       st.one_of(st.none(), st.sampled_from([85.0, 90.0, 95.0]), st.lists(benchmark_cell,
                                                                          min_size=8,
                                                                          max_size=8)))
def test_cluster_flags_gives_what_classify_clusters_gives(tables, rules, benchmark):
    pca, refusal, rounds = tables
    width = len(pca[0])
    labels = [f"R{k + 1}" for k in range(rounds)]
    per_round = benchmark[:rounds] if isinstance(benchmark, list) else None
    argument = None if benchmark is None else (
        row(per_round + [None] * (width - rounds)) if per_round is not None else benchmark)
    got = CLUSTER_FLAGS(table(pca), table(refusal), argument, row(labels + [None] * (width -
                        rounds)), float(rules.rounds), rules.refusal_threshold,
                        rules.exit_benchmark)

    long = pd.DataFrame([
        {"province": "P", "district": "D", "cluster_code": f"C{c}", "round": labels[k],
         "pca_coverage": pca[c][k], "refusal_rate": refusal[c][k]}
        for c in range(len(pca)) if not (is_empty(pca[c]) and is_empty(refusal[c]))
        for k in range(rounds)])
    assert len(got) == len(pca)
    if long.empty:
        assert all(r == ["", "", "", ""] for r in got)
        return
    choice = benchmark if per_round is None else {
        label: value for label, value in zip(labels, per_round, strict=True) if value is not None}
    flags = classify_clusters(long, rounds=rules.rounds, refusal_threshold=rules.refusal_threshold,
                              exit_benchmark=rules.exit_benchmark, benchmark=choice)
    last = flags[(flags["round"] == labels[-1]).to_numpy()]
    expected = {
        int(code[1:]): [status, reasons, "" if pd.isna(entered) else entered, int(spell)]
        for code, status, reasons, entered, spell in zip(
            last["cluster_code"].astype(str), last["status"].astype(str),
            last["reasons"].astype(str), last["entered_round"].astype(object),
            last["rounds_on_list"], strict=True)}
    for position, flags_row in enumerate(got):
        assert flags_row == expected.get(position, ["", "", "", ""]), position


@given(excel_tables(), parameters(),
       st.one_of(st.none(), st.sampled_from([85.0, 90.0]), st.lists(benchmark_cell,
                                                                    min_size=8, max_size=8)))
def test_cluster_status_gives_what_walk_rounds_gives(tables, rules, benchmark):
    pca, refusal, rounds = tables
    for coverage_row, refusal_row in zip(pca, refusal, strict=True):
        coverage_row, refusal_row = coverage_row[:rounds], refusal_row[:rounds]
        per_round = benchmark[:rounds] if isinstance(benchmark, list) else None
        argument = row(per_round) if per_round is not None else benchmark
        got = CLUSTER_STATUS(row(coverage_row), row(refusal_row), argument,
                             float(rules.rounds), rules.refusal_threshold, rules.exit_benchmark)
        present = [v for v in coverage_row + refusal_row if v is not None]
        if not present:
            assert got == ""
            continue
        # The row is read as fractions when all its values lie in 0..1 (a % formatted sheet).
        scale = 100.0 if all(0 <= v <= 1 for v in present) else 1.0
        as_array = [np.array([[np.nan if v is None else np.round(v * scale, 10) for v in r]])
                    for r in (coverage_row, refusal_row)]
        default = rules.exit_benchmark
        bench = ([default if v is None else v for v in per_round] if per_round is not None
                 else default if benchmark is None else benchmark)
        walk = walk_rounds(as_array[0], as_array[1], np.asarray(bench, dtype=float), rules)
        assert got == STATUS_LABELS[walk.status[-1, 0]]
