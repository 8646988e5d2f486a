"""A plain, per-cluster reading of low-performing-clusters.md, written for the tests only.

It shares no code with the engine: it walks each cluster round by round with lists and ifs,
exactly as the spec is worded, so that the vectorised engine can be checked against it.
"""

from __future__ import annotations

import math

import numpy as np


def as_percents(table: list[list[float | None]]) -> list[list[float | None]]:
    """The spec's reading of a column: fractions when every value lies in 0..1."""
    values = [v for row in table for v in row if v is not None]
    if values and all(0 <= v <= 1 for v in values):
        return [[None if v is None else float(np.round(v * 100, 10)) for v in row]
                for row in table]
    return table


def regional_means(table: list[list[float | None]]) -> list[float | None]:
    """Each round's plain mean over clusters with a value (rounded as the spec's engine)."""
    means: list[float | None] = []
    for r in range(len(table[0]) if table else 0):
        values = [row[r] for row in table if row[r] is not None]
        means.append(float(np.round(sum(values) / len(values), 9)) if values else None)
    return means


def reference_statuses(pca: list[float | None], refusal: list[float | None],
                       benchmark: list[float | None], n: int = 3, threshold: float = 10.0,
                       exit_benchmark: float = 95.0) -> list[dict]:
    """Status, entered and exited round index of one cluster in every round."""

    def below(i: int) -> bool:
        return pca[i] is not None and benchmark[i] is not None and pca[i] < benchmark[i]

    def high(i: int) -> bool:
        return refusal[i] is not None and refusal[i] > threshold

    def good(i: int) -> bool:
        return pca[i] is not None and pca[i] > exit_benchmark

    def all_of(test, r: int) -> bool:
        return r - n + 1 >= 0 and all(test(i) for i in range(r - n + 1, r + 1))

    on_list, entered, exited, result = False, None, None, []
    for r in range(len(pca)):
        entry = all_of(below, r) or all_of(high, r)
        leave = all_of(good, r)
        now = entry or (on_list and not leave)
        if now and not on_list:
            entered, exited = r, None
        if on_list and not now:
            exited = r
        on_list = now
        if on_list:
            status = "Low performing"
        elif below(r):
            status = "Watch"
        elif pca[r] is not None and not (isinstance(pca[r], float) and math.isnan(pca[r])):
            status = "On track"
        else:
            status = "No data"
        result.append({"status": status, "entered": entered, "exited": exited})
    return result
