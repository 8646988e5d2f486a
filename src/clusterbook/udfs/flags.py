"""Worksheet functions of the low-performing cluster rules.

Each function converts its Excel-shaped arguments (:mod:`clusterbook.udfs.shapes`), asks the
engine (:mod:`clusterbook.domain.rules`) and gives Excel-shaped values back. The rule itself
lives only in the engine.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from clusterbook.domain.rule_parameters import DEFAULT_PARAMETERS, STATUS_LABELS
from clusterbook.domain.rules import reason_text, regional_benchmark, walk_rounds
from clusterbook.udfs.register import excel_function
from clusterbook.udfs.shapes import (
    BLANK,
    Cell,
    Numbers,
    as_percents,
    filled_rows,
    first_problem,
    labels_of,
    line_numbers,
    per_column,
    problem,
    range_numbers,
    read_numbers,
    rows_of,
    rule_parameters,
    used_width,
)

#: What CLUSTER_FLAGS gives for each cluster, in order.
FLAG_COLUMNS: Final = ("Status", "Reasons", "Entered the list", "Rounds on the list")
_BLANK_ROW: Final = (BLANK,) * len(FLAG_COLUMNS)

_DEFAULT_ROUNDS, _DEFAULT_REFUSAL, _DEFAULT_EXIT = (
    str(DEFAULT_PARAMETERS.rounds), f"{DEFAULT_PARAMETERS.refusal_threshold:g}",
    f"{DEFAULT_PARAMETERS.exit_benchmark:g}")
_RULE_HELP: Final = {
    "rounds": f"Optional. Consecutive rounds needed to enter or to leave the list "
              f"(default {_DEFAULT_ROUNDS}).",
    "refusal_threshold": f"Optional. Refusal is high above this percent: {_DEFAULT_REFUSAL}, "
                         f"{_DEFAULT_REFUSAL}% (default {_DEFAULT_REFUSAL}).",
    "exit_benchmark": f"Optional. Coverage is good above this percent: {_DEFAULT_EXIT}, "
                      f"{_DEFAULT_EXIT}% (default {_DEFAULT_EXIT}).",
}


@excel_function(
    pca="PCA coverage of one cluster: one cell per round, in campaign order (93 or 93%).",
    refusals="Refusal rate of the same cluster in the same rounds (12 or 12%).",
    benchmarks="Optional. Benchmark of each round (a row as long as pca) or one number. "
               f"Default: the exit benchmark, {_DEFAULT_EXIT}.",
    **_RULE_HELP,
)
def CLUSTER_STATUS(pca: Cell, refusals: Cell, benchmarks: Cell = None, rounds: Cell = None,
                   refusal_threshold: Cell = None, exit_benchmark: Cell = None) -> Cell:
    """Status of one cluster in the last of its rounds: Low performing, Watch, On track or
    No data, by the low-performing cluster rules. Blank when the cluster has no value."""
    parameters = rule_parameters(rounds, refusal_threshold, exit_benchmark)
    coverage_cells, refusal_cells = line_numbers(pca, "pca"), line_numbers(refusals, "refusals")
    count = coverage_cells.values.shape[1]
    if refusal_cells.values.shape[1] != count:
        raise problem("refusals", f"has {refusal_cells.values.shape[1]} values but pca has "
                                  f"{count}; give the same rounds")
    # One cluster's row is a sliver of the spec's percent column, so coverage and refusals
    # decide together whether they are fractions: refusals alone are often all below 1 %.
    coverage, refusal = as_percents(coverage_cells, refusal_cells)
    if np.isnan(coverage).all() and np.isnan(refusal).all():
        return BLANK
    benchmark = per_column(benchmarks, "benchmarks", count)
    if benchmark is None:
        benchmark = np.full(count, parameters.exit_benchmark)
    benchmark[np.isnan(benchmark)] = parameters.exit_benchmark
    walk = walk_rounds(coverage, refusal, benchmark, parameters)
    return STATUS_LABELS[int(walk.status[-1, 0])]


@excel_function(
    tables=("pca_table", "refusal_table"),
    pca_table="PCA coverage: one row per cluster, one column per round in campaign order.",
    refusal_table="Refusal rates: the same clusters and rounds as pca_table.",
    benchmarks="Optional. Benchmark of each round (a row as wide as the tables) or one "
               "number. Default: each round's regional mean of pca_table.",
    round_labels="Optional. The header row of the tables (R1, R2, ...); names the round a "
                 "cluster entered the list.",
    **_RULE_HELP,
)
def CLUSTER_FLAGS(pca_table: Cell, refusal_table: Cell, benchmarks: Cell = None,
                  round_labels: Cell = None, rounds: Cell = None,
                  refusal_threshold: Cell = None, exit_benchmark: Cell = None) -> Cell:
    """Flags of every cluster of the tables, one row each: status in the last round, reasons,
    the round it entered the list, rounds on the list. Empty rows stay blank."""
    parameters = rule_parameters(rounds, refusal_threshold, exit_benchmark)
    pca_rows = rows_of(pca_table, "pca_table")
    refusal_rows = rows_of(refusal_table, "refusal_table")
    height, width = len(pca_rows), len(pca_rows[0])
    if (len(refusal_rows), len(refusal_rows[0])) != (height, width):
        raise problem("refusal_table", f"is {len(refusal_rows)} rows by {len(refusal_rows[0])} "
                                       f"columns but pca_table is {height} by {width}; give "
                                       f"the same clusters and rounds")
    labels = labels_of(round_labels, "round_labels", width)
    output = [list(_BLANK_ROW) for _ in range(height)]
    filled = sorted(set(filled_rows(pca_rows)).union(filled_rows(refusal_rows)))
    if not filled:
        return output

    # Only rows and columns that hold something are read: the book passes its whole input
    # area, most of it empty.
    labelled = [index for index, label in enumerate(labels) if label]
    used = max(used_width(pca_rows, filled), used_width(refusal_rows, filled),
               labelled[-1] + 1 if labelled else 0)
    row_numbers = [position + 1 for position in filled]
    # Each table is one percent column of the spec, read on its own as the engine reads it.
    (coverage,) = as_percents(read_numbers([pca_rows[i][:used] for i in filled], "pca_table",
                                           row_numbers=row_numbers))
    (refusal,) = as_percents(read_numbers([refusal_rows[i][:used] for i in filled],
                                          "refusal_table", row_numbers=row_numbers))
    # A column is a round when it holds a value or has a label.
    empty = np.isnan(coverage).all(axis=0) & np.isnan(refusal).all(axis=0)
    columns = [index for index in range(used) if labels[index] or not empty[index]]
    _check_distinct(labels, columns)
    coverage, refusal = coverage[:, columns], refusal[:, columns]
    names: list[str | int] = [labels[index] or index + 1 for index in columns]

    benchmark = regional_benchmark(coverage)
    chosen = per_column(benchmarks, "benchmarks", width)
    if chosen is not None:
        chosen = chosen[columns]
        benchmark = np.where(np.isnan(chosen), benchmark, chosen)
    walk = walk_rounds(coverage, refusal, benchmark, parameters)

    last = len(columns) - 1
    texts: dict[tuple[int, ...], str] = {}
    for row, status, below, refusing, good, exited, entered, spell in zip(
            filled, walk.status[last].tolist(), walk.below_run[last].tolist(),
            walk.refusal_run[last].tolist(), walk.good_run[last].tolist(),
            walk.exited[last].tolist(), walk.entered[last].tolist(), walk.spell[last].tolist(),
            strict=True):
        key = (status, below, refusing, good, exited == last)
        text = texts.get(key)
        if text is None:
            text = texts[key] = reason_text(status, below, refusing, good, exited == last,
                                            parameters)
        output[row] = [STATUS_LABELS[status], text,
                       names[entered] if entered >= 0 else BLANK, spell]
    return output


def _check_distinct(labels: list[str], columns: list[int]) -> None:
    seen: dict[str, int] = {}
    clashes = []
    for index in columns:
        label = labels[index]
        if label and label in seen:
            clashes.append(("round_labels", f"'{label}' names columns {seen[label] + 1} and "
                                            f"{index + 1}; give each round its own label"))
        seen.setdefault(label, index)
    if clashes:
        raise first_problem(clashes)


@excel_function(
    pca="PCA coverage of every cluster in one round (a column or any range).",
    children_surveyed="Optional. Children surveyed in each cluster, in the same shape as pca: "
                      "gives the average weighted by them.",
)
def PCA_BENCHMARK(pca: Cell, children_surveyed: Cell = None) -> Cell:
    """Regional PCA benchmark of a round: the average coverage of the clusters that have a
    value (weighted by children surveyed when given), in the unit of pca. Blank when no
    cluster has a value."""
    coverage = range_numbers(pca, "pca")
    as_percents(coverage)  # checks every value lies between 0 and 100
    weights = None
    if children_surveyed is not None:
        counts = range_numbers(children_surveyed, "children_surveyed")
        if _extent(counts) != _extent(coverage):
            raise problem("children_surveyed", f"has {_extent(counts)} but pca has "
                                               f"{_extent(coverage)}; give the same clusters")
        if np.isnan(counts.values).all():
            raise problem("children_surveyed", "has no value; leave it out for the plain "
                                               "average")
        negative = np.argwhere(counts.values < 0)
        if len(negative):
            raise first_problem([(counts.where(int(r), int(c)),
                                  f"{counts.values[r, c]:g} is negative") for r, c in negative])
        weights = counts.values.reshape(-1, 1)
    mean = float(regional_benchmark(coverage.values.reshape(-1, 1), weights)[0])
    return BLANK if np.isnan(mean) else mean


def _extent(numbers: Numbers) -> str:
    """'3 cells' for a row or column (its direction is not passed on), else '2 by 3 cells'."""
    rows, columns = numbers.values.shape
    return f"{columns} cells" if numbers.line else f"{rows} by {columns} cells"
