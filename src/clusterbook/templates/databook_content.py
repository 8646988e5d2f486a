"""What a campaign data book is filled with: the cluster list, the round grids, the
benchmark overrides and the rule parameters, taken from a prepared round table."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from clusterbook.domain.errors import InputError
from clusterbook.domain.rule_parameters import (
    BenchmarkChoice,
    BenchmarkMethod,
    RuleParameters,
    benchmark_method,
)
from clusterbook.domain.rules import fixed_benchmark, to_matrix
from clusterbook.forms.databook import CLUSTERS, MAX_CLUSTERS, MAX_ROUNDS


@dataclass
class DataBookContent:
    """The values a data book is filled with: the cluster list and the round grids."""

    clusters: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=[item.key for item in CLUSTERS.fields]))
    rounds: list[Hashable] = field(default_factory=list)
    pca: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    refusal: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    overrides: dict[int, float] = field(default_factory=dict)  # round index -> benchmark
    parameters: RuleParameters = field(default_factory=RuleParameters)
    notice: str = ""

    def __post_init__(self) -> None:
        if len(self.clusters) > MAX_CLUSTERS:
            raise InputError(f"the data has {len(self.clusters):,} clusters; the data book has "
                             f"room for {MAX_CLUSTERS:,}. Split the region into several books.")
        if len(self.rounds) > MAX_ROUNDS:
            raise InputError(f"the data has {len(self.rounds)} rounds; the data book has room "
                             f"for {MAX_ROUNDS}. Keep the last {MAX_ROUNDS} rounds.")

    @property
    def is_empty(self) -> bool:
        return not len(self.clusters)


def databook_content(table: pd.DataFrame, *, clusters: pd.DataFrame | None = None,
                     parameters: RuleParameters | None = None,
                     benchmark: BenchmarkChoice = None, notice: str = "") -> DataBookContent:
    """The content of a data book from a prepared round table (see ``prepare_round_table``).

    ``clusters`` (optional, canonical column names) adds target population and households, and
    clusters that have no round data yet, at the bottom. ``benchmark`` is None or "mean" (the
    book's live regional average), one number, or {round label: number}; the numbers are
    written as the book's overrides.
    """
    matrix = to_matrix(table)
    listed = matrix.clusters.astype(object).copy()
    for column in ("target_population", "households"):
        listed[column] = None
    if clusters is not None and len(clusters):
        listed = _merge_cluster_list(listed, clusters)
    rounds = list(matrix.rounds)
    extra = len(listed) - len(matrix.clusters)
    pad = np.full((extra, len(rounds)), np.nan)
    return DataBookContent(
        clusters=listed.reset_index(drop=True), rounds=rounds,
        pca=np.vstack([matrix.pca, pad]), refusal=np.vstack([matrix.refusal, pad]),
        overrides=_overrides(rounds, benchmark), parameters=parameters or RuleParameters(),
        notice=notice)


def _merge_cluster_list(listed: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    extra_columns = [key for key in ("target_population", "households")
                     if key in clusters.columns]
    by_code = clusters.drop_duplicates("cluster_code").set_index(
        clusters.drop_duplicates("cluster_code")["cluster_code"].astype(str).str.strip())
    codes = listed["cluster_code"].astype(str)
    for column in extra_columns:
        listed[column] = codes.map(by_code[column]).astype(object).where(
            codes.isin(by_code.index), None).tolist()
    known = set(codes)
    missing = by_code[~by_code.index.isin(known)]
    if len(missing):
        extra = pd.DataFrame({key: missing[key].tolist() if key in missing.columns else None
                              for key in (item.key for item in CLUSTERS.fields)})
        extra["cluster_code"] = missing.index.tolist()
        listed = pd.concat([listed, extra], ignore_index=True)
    return listed


def _overrides(rounds: Sequence[Hashable], benchmark: BenchmarkChoice) -> dict[int, float]:
    if benchmark_method(benchmark) is BenchmarkMethod.MEAN:
        return {}
    if isinstance(benchmark, str):
        raise InputError("the data book computes each round's regional average live; a "
                         f"'{benchmark}' benchmark cannot be kept live there. Use the mean, a "
                         "fixed percent, or 'clusterbook flags' for a weighted benchmark.")
    if isinstance(benchmark, Mapping):
        unknown = [str(label) for label in benchmark if label not in rounds]
        if unknown:
            raise InputError(f"benchmarks were given for rounds that are not in the data: "
                             f"{', '.join(unknown)}")
        return {rounds.index(label): fixed_benchmark(value)
                for label, value in benchmark.items() if value is not None}
    value = fixed_benchmark(benchmark)
    return dict.fromkeys(range(len(rounds)), value)
