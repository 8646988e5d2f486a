"""The built-in sample region: synthetic, deterministic, shaped like the framework's.

4 provinces, 24 high-risk districts, 928 clusters and 12 campaign rounds, with about 60 % of
clusters below 95 % coverage in every round, refusal hotspots, clusters not assessed in some
rounds (insecurity) and missed-children counts. Every name and number is invented: this is
**synthetic data for demonstration**, not campaign results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from clusterbook.sample.notice import NOTICE

#: Invented provinces and districts (four provinces of six districts).
PROVINCES: dict[str, tuple[str, ...]] = {
    "Northern Hills": ("Kotal", "Sarband", "Darakht", "Pirkoh", "Zarghun", "Tangi"),
    "River Plain": ("Nahrin", "Abgah", "Sabzwar", "Kenar", "Pulgah", "Dehnaw"),
    "Eastern Valley": ("Shahrak", "Gulistan", "Marjan", "Bandar", "Chashma", "Qalat"),
    "Southern Desert": ("Registan", "Sangin Kalay", "Regak", "Khakrez", "Shorab", "Dasht"),
}
#: Clusters per district, summing to the framework's 928.
CLUSTERS_PER_DISTRICT = (42, 38, 35, 40, 36, 44, 39, 37, 41, 33, 38, 40,
                         45, 36, 39, 34, 42, 37, 43, 35, 40, 38, 36, 40)
ROUNDS = tuple(f"R{number}" for number in range(1, 13))
FIRST_ROUND_DATE = dt.date(2025, 1, 13)
#: Districts where a few clusters refuse vaccination often.
REFUSAL_HOTSPOTS = ("Sarband", "Marjan", "Regak", "Khakrez")
_SETTLEMENTS = ("Bala", "Payan", "Kalay", "Qala", "Deh", "Bagh", "Killi", "Chak", "Mela",
                "Kot", "Banda", "Shahr-e Naw", "Sar-e Pul", "Karez", "Gudar", "Manda")
SEED = 2025


@dataclass(frozen=True)
class SampleRegion:
    """The sample region's cluster list and its round data (one row per cluster per round)."""

    clusters: pd.DataFrame
    rounds: pd.DataFrame
    notice: str = NOTICE


@lru_cache(maxsize=1)
def sample_region() -> SampleRegion:
    """The synthetic sample region (always the same numbers)."""
    rng = np.random.default_rng(SEED)
    clusters = _cluster_list(rng)
    return SampleRegion(clusters, _round_data(clusters, rng))


def district_code(district: str) -> str:
    """Three letters for a district: its initial and the next two consonants (Regak -> RGK)."""
    letters = district.replace(" ", "").upper()
    consonants = [char for char in letters[1:] if char not in "AEIOU"]
    return letters[0] + "".join(consonants[:2])


def _cluster_list(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    districts = [(province, district) for province, names in PROVINCES.items()
                 for district in names]
    for (province, district), count in zip(districts, CLUSTERS_PER_DISTRICT, strict=True):
        prefix = district_code(district)
        for number in range(1, count + 1):
            target = int(rng.integers(350, 2600))
            settlement = _SETTLEMENTS[int(rng.integers(len(_SETTLEMENTS)))]
            rows.append({
                "province": province,
                "district": district,
                "cluster_code": f"{prefix}-{number:03d}",
                "cluster_name": f"{district} {settlement} {number}",
                "target_population": target,
                "households": round(target / rng.uniform(0.7, 1.4)),
            })
    return pd.DataFrame(rows)


def _round_data(clusters: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    count, rounds = len(clusters), len(ROUNDS)
    # About 60 % of clusters stay well below 95 %; the rest hover around and above it.
    chronic = rng.random(count) < 0.6
    base = np.where(chronic, rng.uniform(76.0, 92.0, count), rng.uniform(94.5, 99.5, count))
    improving = chronic & (rng.random(count) < 0.15)
    trend = np.where(improving, rng.uniform(1.0, 2.2, count), 0.0)
    round_effect = rng.normal(0.0, 0.4, rounds)
    steps = np.arange(rounds)
    pca = (base[:, None] + trend[:, None] * steps[None, :] + round_effect[None, :]
           + rng.normal(0.0, 1.6, (count, rounds)))
    pca = np.clip(np.round(pca, 1), 35.0, 100.0)

    hotspot = clusters["district"].isin(REFUSAL_HOTSPOTS).to_numpy() & (rng.random(count) < 0.35)
    refusal = np.where(hotspot[:, None], rng.uniform(6.0, 21.0, (count, rounds)),
                       rng.gamma(1.5, 1.2, (count, rounds)))
    refusal = np.clip(np.round(refusal, 1), 0.0, 60.0)

    # Some clusters are not assessed in a round or two (insecurity, access).
    insecure = rng.random(count) < 0.05
    missing = (insecure[:, None] & (rng.random((count, rounds)) < 0.25)) | (
        rng.random((count, rounds)) < 0.004)
    pca[missing] = np.nan
    refusal[missing] = np.nan

    surveyed = rng.integers(40, 90, (count, rounds)).astype(float)
    surveyed[missing] = np.nan
    target = clusters["target_population"].to_numpy(dtype=float)[:, None]
    missed = np.round(target * (100.0 - pca) / 100.0 * rng.uniform(0.8, 1.2, (count, rounds)))

    dates = [FIRST_ROUND_DATE + dt.timedelta(days=30 * step) for step in range(rounds)]
    frame = pd.DataFrame({
        "province": np.repeat(clusters["province"].to_numpy(), rounds),
        "district": np.repeat(clusters["district"].to_numpy(), rounds),
        "cluster_code": np.repeat(clusters["cluster_code"].to_numpy(), rounds),
        "cluster_name": np.repeat(clusters["cluster_name"].to_numpy(), rounds),
        "round": np.tile(np.asarray(ROUNDS, dtype=object), count),
        "round_date": np.tile(np.asarray([d.isoformat() for d in dates], dtype=object), count),
        "pca_coverage": pca.ravel(),
        "refusal_rate": refusal.ravel(),
        "children_surveyed": surveyed.ravel(),
        "missed_children": missed.ravel(),
    })
    return frame


def scaled_round_data(clusters: int, rounds: int, seed: int = 7) -> pd.DataFrame:
    """A large synthetic round table (for benchmarks): ``clusters`` x ``rounds`` rows.

    Text columns are categorical, as a large table read from a file is best kept; arrays are
    built in place so that making the table costs little more memory than the table.
    """
    rng = np.random.default_rng(seed)
    chronic = rng.random(clusters) < 0.6
    base = np.where(chronic, rng.uniform(76.0, 92.0, clusters), rng.uniform(93.5, 99.0, clusters))
    pca = rng.normal(0.0, 2.0, (clusters, rounds))
    pca += base[:, None]
    np.clip(pca, 0, 100, out=pca)
    np.round(pca, 1, out=pca)
    pca[rng.random((clusters, rounds), dtype=np.float32) < 0.01] = np.nan
    refusal = rng.gamma(1.5, 2.5, (clusters, rounds))
    np.clip(refusal, 0, 100, out=refusal)
    np.round(refusal, 1, out=refusal)
    missed = rng.integers(0, 400, clusters * rounds, dtype=np.int16).astype(float)
    districts = np.asarray([f"District {number:02d}" for number in range(1, 25)], dtype=object)
    district_of = (np.arange(clusters, dtype=np.int64) * len(districts) // clusters).astype(
        np.int8)
    codes = pd.Index([f"C{number:06d}" for number in range(clusters)], dtype=object)
    labels = [f"R{number}" for number in range(1, rounds + 1)]
    return pd.DataFrame({
        "province": pd.Categorical.from_codes(np.repeat(district_of // 6, rounds),
                                              ["P1", "P2", "P3", "P4"]),
        "district": pd.Categorical.from_codes(np.repeat(district_of, rounds), districts),
        "cluster_code": pd.Categorical.from_codes(
            np.repeat(np.arange(clusters, dtype=np.int32), rounds), codes),
        "round": pd.Categorical.from_codes(
            np.tile(np.arange(rounds, dtype=np.int8), clusters), labels),
        "pca_coverage": pca.ravel(),
        "refusal_rate": refusal.ravel(),
        "missed_children": missed,
    }, copy=False)
