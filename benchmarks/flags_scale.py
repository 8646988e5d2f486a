"""The engine at scale: 100,000 clusters x 24 rounds, beside per-cluster Python loops.

    python benchmarks/flags_scale.py [--clusters 100000] [--rounds 24]

Prints, from one run on the same data:
- the engine's time (``classify_clusters``, best of three) and the process's peak memory;
- a per-cluster Python loop doing the same job (statuses, reasons, entry and exit rounds,
  rounds on the list, priority, and the result table), the peer figure;
- a lean loop that computes statuses only, for reference.
Goals: engine at most 1 s, at least 30x the same-job loop, peak memory at most 400 MB.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np
import pandas as pd

from clusterbook import classify_clusters
from clusterbook.sample.region import scaled_round_data

N, THRESHOLD, EXIT = 3, 10.0, 95.0


def _by_cluster(frame: pd.DataFrame) -> dict[str, dict[str, tuple[float, float, float]]]:
    by_cluster: dict[str, dict[str, tuple[float, float, float]]] = {}
    for code, label, pca, refusal, missed in zip(
            frame["cluster_code"], frame["round"], frame["pca_coverage"], frame["refusal_rate"],
            frame["missed_children"], strict=True):
        by_cluster.setdefault(code, {})[label] = (pca, refusal, missed)
    return by_cluster


def statuses_only_loop(frame: pd.DataFrame) -> dict[str, list[str]]:
    """The least a loop can do: statuses, nothing else."""
    rounds = list(frame["round"].cat.categories)
    benchmark = frame.groupby("round", observed=True)["pca_coverage"].mean().to_dict()
    statuses: dict[str, list[str]] = {}
    for code, values in _by_cluster(frame).items():
        below_run = refusal_run = good_run = 0
        on_list, result = False, []
        for label in rounds:
            pca, refusal, _ = values.get(label, (float("nan"),) * 3)
            has_pca = pca == pca
            below = has_pca and pca < benchmark[label]
            below_run = below_run + 1 if below else 0
            refusal_run = refusal_run + 1 if refusal > THRESHOLD else 0
            good_run = good_run + 1 if has_pca and pca > EXIT else 0
            on_list = below_run >= N or refusal_run >= N or (on_list and good_run < N)
            result.append("Low performing" if on_list else "Watch" if below
                          else "On track" if has_pca else "No data")
        statuses[code] = result
    return statuses


def same_job_loop(frame: pd.DataFrame) -> pd.DataFrame:
    """classify_clusters written the usual way: per cluster, per round, a row dict."""
    rounds = list(frame["round"].cat.categories)
    benchmark = frame.groupby("round", observed=True)["pca_coverage"].mean().to_dict()
    rows = []
    for code, values in _by_cluster(frame).items():
        below_run = refusal_run = good_run = spell = 0
        on_list, entered, exited = False, None, None
        for label in rounds:
            pca, refusal, missed = values.get(label, (float("nan"),) * 3)
            has_pca = pca == pca
            below = has_pca and pca < benchmark[label]
            below_run = below_run + 1 if below else 0
            refusal_run = refusal_run + 1 if refusal > THRESHOLD else 0
            good_run = good_run + 1 if has_pca and pca > EXIT else 0
            was_on = on_list
            on_list = below_run >= N or refusal_run >= N or (on_list and good_run < N)
            if on_list and not was_on:
                entered, exited = label, None
            elif was_on and not on_list:
                exited = label
            spell = spell + 1 if on_list else 0
            reasons = []
            if on_list:
                if below_run >= N:
                    reasons.append(f"PCA below benchmark x{below_run}")
                if refusal_run >= N:
                    reasons.append(f"Refusal above 10% x{refusal_run}")
                status = "Low performing"
                reasons = reasons or [f"not yet {N} rounds above 95%"]
            else:
                status = "Watch" if below else "On track" if has_pca else "No data"
                if below:
                    reasons.append(f"PCA below benchmark x{below_run}")
                elif not has_pca:
                    reasons.append("no PCA value in this round")
                elif exited == label:
                    reasons.append(f"left the list: {good_run} rounds above 95%")
                if refusal_run:
                    reasons.append(f"Refusal above 10% x{refusal_run}")
            rows.append({"cluster_code": code, "round": label, "pca_coverage": pca,
                         "status": status, "reasons": "; ".join(reasons),
                         "entered_round": entered, "exited_round": exited,
                         "rounds_on_list": spell, "missed_children": missed,
                         "gap": benchmark[label] - pca})
    by_round: dict[str, list[dict]] = {}
    for row in rows:
        if row["status"] == "Low performing":
            by_round.setdefault(row["round"], []).append(row)
    for listed in by_round.values():
        listed.sort(key=lambda row: (-row["missed_children"], -row["gap"]))
        for rank, row in enumerate(listed, start=1):
            row["priority"] = rank
    return pd.DataFrame(rows)


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clusters", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3, help="engine runs (best is reported)")
    args = parser.parse_args()

    frame = scaled_round_data(args.clusters, args.rounds)
    gc.collect()
    flags, first_time = timed(classify_clusters, frame)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    engine_times = [first_time]
    for _ in range(args.repeat - 1):
        del flags
        gc.collect()
        flags, seconds = timed(classify_clusters, frame)
        engine_times.append(seconds)
    engine = min(engine_times)

    same_job, same_job_time = timed(same_job_loop, frame)
    lean, lean_time = timed(statuses_only_loop, frame)

    engine_statuses = flags["status"].astype(str).to_numpy().reshape(args.clusters, args.rounds)
    lean_statuses = np.asarray([lean[code] for code in flags["cluster_code"].cat.categories])
    agree = bool((engine_statuses == lean_statuses).all()) and (
        same_job["status"].tolist() == flags["status"].astype(str).tolist())

    print(f"{args.clusters:,} clusters x {args.rounds} rounds = {len(frame):,} rows")
    print(f"engine (classify_clusters), best of {args.repeat}:  {engine:7.3f} s   goal <= 1 s")
    print(f"per-cluster loop, same job (peer):          {same_job_time:7.3f} s   "
          f"engine is {same_job_time / engine:5.1f}x faster   goal >= 30x")
    print(f"per-cluster loop, statuses only:            {lean_time:7.3f} s   "
          f"engine is {lean_time / engine:5.1f}x faster")
    print(f"peak memory, data + one engine run:         {peak_mb:7.0f} MB  goal <= 400 MB")
    print(f"statuses agree with both loops: {agree}")


if __name__ == "__main__":
    main()
