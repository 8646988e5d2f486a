"""The sample region has the framework's shape and is the same every time."""

from __future__ import annotations

import pandas as pd

from clusterbook import classify_clusters
from clusterbook.sample.region import REFUSAL_HOTSPOTS, sample_region


def test_shape_of_the_framework(sample_region):
    clusters, rounds = sample_region.clusters, sample_region.rounds
    assert clusters["province"].nunique() == 4
    assert clusters["district"].nunique() == 24
    assert len(clusters) == 928 and clusters["cluster_code"].is_unique
    assert rounds["round"].nunique() >= 9
    assert len(rounds) == 928 * rounds["round"].nunique()


def test_about_sixty_percent_below_95_in_every_round(sample_region):
    share = (sample_region.rounds.dropna(subset=["pca_coverage"])
             .assign(below=lambda f: f["pca_coverage"] < 95)
             .groupby("round")["below"].mean())
    assert share.between(0.55, 0.70).all(), share


def test_hotspots_missing_rounds_and_missed_children(sample_region):
    rounds = sample_region.rounds
    high = rounds[rounds["refusal_rate"] > 10]
    assert high["district"].isin(REFUSAL_HOTSPOTS).mean() > 0.9 and len(high) > 100
    missing = rounds["pca_coverage"].isna()
    assert 0.005 < missing.mean() < 0.05
    assert (rounds.loc[~missing, "missed_children"] >= 0).all()
    flags = classify_clusters(rounds)
    last = flags[flags["round"] == "R12"]
    assert (last["reasons"].astype(str).str.contains("Refusal above 10% x")
            & (last["status"] == "Low performing")).any()
    assert 0.3 < (last["status"] == "Low performing").mean() < 0.6


def test_deterministic():
    sample_region.cache_clear()
    first = sample_region()
    sample_region.cache_clear()
    pd.testing.assert_frame_equal(first.rounds, sample_region().rounds)
    pd.testing.assert_frame_equal(first.clusters, sample_region().clusters)
