"""The vectorised engine agrees with a plain per-cluster loop on any data."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from clusterbook import classify_clusters
from clusterbook.domain.rules import STATUS_LABELS, RuleParameters, classify_matrix
from reference import as_percents, reference_statuses, regional_means

# Values cluster around the thresholds so that equality cases (exactly 10 %, exactly 95 %,
# exactly the benchmark) come up often.
pca_value = st.one_of(st.none(), st.sampled_from([50.0, 85.0, 89.9, 90.0, 94.9, 95.0, 95.1,
                                                  100.0]),
                      st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 1)))
refusal_value = st.one_of(st.none(), st.sampled_from([0.0, 9.9, 10.0, 10.1, 25.0]),
                          st.floats(0, 40, allow_nan=False).map(lambda v: round(v, 1)))


@st.composite
def round_tables(draw):
    rounds = draw(st.integers(1, 9))
    clusters = draw(st.integers(1, 8))
    pca = [[draw(pca_value) for _ in range(rounds)] for _ in range(clusters)]
    refusal = [[draw(refusal_value) for _ in range(rounds)] for _ in range(clusters)]
    return pca, refusal


def as_long(pca, refusal, drop_missing_rows: bool) -> pd.DataFrame:
    rows = []
    for c, (pca_row, refusal_row) in enumerate(zip(pca, refusal, strict=True)):
        for r, (p, f) in enumerate(zip(pca_row, refusal_row, strict=True)):
            if drop_missing_rows and p is None and f is None and c > 0 and r > 0:
                continue  # the cluster simply has no row in that round
            rows.append({"province": "P", "district": "D", "cluster_code": f"C{c}",
                         "round": f"R{r + 1}", "pca_coverage": p, "refusal_rate": f})
    return pd.DataFrame(rows)


@given(round_tables(), st.integers(1, 4), st.sampled_from([None, 90.0, 95.0]),
       st.booleans())
def test_engine_matches_reference_loop(table, n, fixed, drop_missing_rows):
    pca, refusal = table
    rounds = len(pca[0])
    frame = as_long(pca, refusal, drop_missing_rows)
    # The first cluster has every row (so every round exists) and every cluster its first.
    flags = classify_clusters(frame, rounds=n, benchmark=fixed)
    pca, refusal = as_percents(pca), as_percents(refusal)
    benchmark = [fixed] * rounds if fixed is not None else regional_means(pca)
    labels = [f"R{r + 1}" for r in range(rounds)]
    for c in range(len(pca)):
        expected = reference_statuses(pca[c], refusal[c], benchmark, n=n)
        got = flags[flags["cluster_code"] == f"C{c}"]
        assert got["status"].astype(str).tolist() == [e["status"] for e in expected]
        assert got["entered_round"].astype(object).where(got["entered_round"].notna(),
                                                         None).tolist() == [
            None if e["entered"] is None else labels[e["entered"]] for e in expected]
        assert got["exited_round"].astype(object).where(got["exited_round"].notna(),
                                                        None).tolist() == [
            None if e["exited"] is None else labels[e["exited"]] for e in expected]


@given(round_tables(), st.integers(1, 4))
def test_matrix_entry_point_matches_reference(table, n):
    pca, refusal = table
    as_float = [[np.nan if v is None else v for v in row] for row in pca]
    as_refusal = [[np.nan if v is None else v for v in row] for row in refusal]
    walk = classify_matrix(as_float, as_refusal, parameters=RuleParameters(rounds=n))
    # The matrix entry point takes percents as they are (callers convert fractions).
    benchmark = regional_means(pca)
    for c in range(len(pca)):
        expected = [e["status"] for e in reference_statuses(pca[c], refusal[c], benchmark, n=n)]
        assert [STATUS_LABELS[code] for code in walk.status[:, c]] == expected
