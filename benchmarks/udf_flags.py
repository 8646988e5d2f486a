"""CLUSTER_FLAGS over the sample region (928 clusters x 12 rounds), beside its peers.

    python benchmarks/udf_flags.py [--repeat 50]

xlwings converts the cells before it calls a function, so what is timed here is the
function's own Python time given arguments already in the shape xlwings hands over (lists of
floats, None for empty cells). Prints, from one run on the same data:
- CLUSTER_FLAGS on the 928 x 12 table (goal: at most 10 ms);
- CLUSTER_FLAGS on the data book's whole input areas (2,000 x 36, the region in one corner),
  with empty cells, and with formulas showing '' in every empty cell;
- the same job through ``classify_clusters`` on the long round table, already prepared
  (peer);
- a loop of CLUSTER_STATUS, one call per cluster (peer).
Each figure is the best of ``--repeat`` runs, with the median beside it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from timing import timings

from clusterbook import classify_clusters
from clusterbook.domain.table import prepare_round_table
from clusterbook.sample.region import sample_region
from clusterbook.udfs import CLUSTER_FLAGS, CLUSTER_STATUS, PCA_BENCHMARK

GOAL_MS = 10.0


def excel_cells(frame: Any, value: str, labels: list[str], order: list[str]) -> list[list]:
    """One row per cluster, one column per round, as xlwings passes a range."""
    wide = frame.pivot(index="cluster_code", columns="round", values=value).loc[order, labels]
    return [[None if v != v else float(v) for v in values] for values in wide.to_numpy()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50, help="runs of each (best is shown)")
    args = parser.parse_args()

    rounds = sample_region().rounds
    labels = list(dict.fromkeys(rounds["round"]))
    order = list(dict.fromkeys(rounds["cluster_code"]))
    pca = excel_cells(rounds, "pca_coverage", labels, order)
    refusal = excel_cells(rounds, "refusal_rate", labels, order)

    def area(cells: list[list], empty: str | None = None) -> list[list]:
        wide = [[empty if v is None else v for v in values] + [empty] * (36 - len(values))
                for values in cells]
        return wide + [[empty] * 36 for _ in range(2000 - len(wide))]

    pca_area, refusal_area = area(pca), area(refusal)
    header_area = labels + [None] * (36 - len(labels))
    pca_blanks, refusal_blanks = area(pca, ""), area(refusal, "")
    prepared = prepare_round_table(rounds)
    benchmarks = [PCA_BENCHMARK([values[k] for values in pca]) for k in range(len(labels))]

    flags, best, median = timings(lambda: CLUSTER_FLAGS(pca, refusal, None, labels), args.repeat)
    area_flags, area_best, area_median = timings(
        lambda: CLUSTER_FLAGS(pca_area, refusal_area, None, header_area), args.repeat)
    blank_flags, blank_best, blank_median = timings(
        lambda: CLUSTER_FLAGS(pca_blanks, refusal_blanks, None, header_area), args.repeat)
    engine, engine_best, engine_median = timings(lambda: classify_clusters(prepared),
                                                 args.repeat)
    loop_repeat = max(3, args.repeat // 10)
    statuses, loop_best, loop_median = timings(
        lambda: [CLUSTER_STATUS(p, f, benchmarks) for p, f in zip(pca, refusal, strict=True)],
        loop_repeat)

    last = engine[(engine["round"] == labels[-1]).to_numpy()]
    agree = ([row[0] for row in flags] == last["status"].astype(str).tolist() == statuses
             and [row[1] for row in flags] == last["reasons"].astype(str).tolist()
             and area_flags[:len(flags)] == flags == blank_flags[:len(flags)])

    clusters = f"{len(pca)} clusters x {len(labels)} rounds"
    lines = [
        (f"CLUSTER_FLAGS, {clusters}", best, median, f"goal <= {GOAL_MS:g} ms"),
        ("CLUSTER_FLAGS, 2,000 x 36 data book areas", area_best, area_median, ""),
        ("  the same, empty cells holding ''", blank_best, blank_median, ""),
        ("peer: classify_clusters, prepared long table", engine_best, engine_median,
         f"CLUSTER_FLAGS is {engine_best / best:.1f}x faster"),
        (f"peer: CLUSTER_STATUS per cluster, {len(pca)} calls", loop_best, loop_median,
         f"CLUSTER_FLAGS is {loop_best / best:.0f}x faster (best of {loop_repeat})"),
    ]
    print(f"Sample region, {clusters}; ms, best (median) of {args.repeat} runs")
    for label, fastest, middle, note in lines:
        print(f"{label:<46} {fastest:8.2f} ({middle:8.2f})   {note}".rstrip())
    print(f"statuses and reasons agree with classify_clusters and the loop: {agree}")


if __name__ == "__main__":
    main()
