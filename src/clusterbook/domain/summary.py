"""What the regional team reads next to the flags: counts per province and district."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Final

import numpy as np
import pandas as pd

from clusterbook.domain.errors import InputError
from clusterbook.domain.rule_parameters import DEFAULT_PARAMETERS, RuleParameters, Status

SUMMARY_COLUMNS: Final = (
    "level", "province", "district", "clusters", "low_performing", "newly_listed", "left_list",
    "watch", "on_track", "no_data", "below_exit_every_round", "share_below_exit",
)

#: Headers an officer reads, for books and tables.
SUMMARY_HEADERS: Final = {
    "level": "Level",
    "province": "Province",
    "district": "District",
    "clusters": "Clusters",
    "low_performing": Status.LOW_PERFORMING.label,
    "newly_listed": "Newly listed",
    "left_list": "Left the list",
    "watch": Status.WATCH.label,
    "on_track": Status.ON_TRACK.label,
    "no_data": Status.NO_DATA.label,
    "below_exit_every_round": "Below {exit} in every round",
    "share_below_exit": "Share below {exit} in every round (%)",
}


def summary_headers(parameters: RuleParameters | None = None) -> dict[str, str]:
    """The summary's headers with the exit benchmark written in (e.g. 'below 95%')."""
    exit_text = f"{(parameters or DEFAULT_PARAMETERS).exit_benchmark:g}%"
    return {key: text.format(exit=exit_text) for key, text in SUMMARY_HEADERS.items()}


def summarize(flags: pd.DataFrame, *, at_round: Hashable | None = None,
              since: Hashable | None = None,
              parameters: RuleParameters | None = None) -> pd.DataFrame:
    """Counts per district, with province totals and a region total.

    ``at_round`` (default: the last round) is the round whose statuses are counted.
    ``since`` (default: the first round) starts the span for the share of clusters whose PCA
    coverage was below the exit benchmark in every round from ``since`` to ``at_round``; a
    round with no value does not count as below. ``parameters`` are those the flags were
    classified with (default: the framework's); they give the exit benchmark.
    """
    parameters = parameters or DEFAULT_PARAMETERS
    rounds = list(flags["round"].cat.categories) if isinstance(
        flags["round"].dtype, pd.CategoricalDtype) else list(pd.unique(flags["round"]))
    if not rounds:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    at_round = rounds[-1] if at_round is None else at_round
    since = rounds[0] if since is None else since
    for name, label in (("round", at_round), ("starting round", since)):
        if label not in rounds:
            raise InputError(f"the {name} '{label}' is not one of the rounds in the data "
                             f"({rounds[0]} to {rounds[-1]})")
    start, end = sorted((rounds.index(since), rounds.index(at_round)))
    span = set(rounds[start:end + 1])

    round_values = flags["round"]
    in_span = round_values.isin(span).to_numpy()
    with np.errstate(invalid="ignore"):
        below_exit = (flags["pca_coverage"].to_numpy() < parameters.exit_benchmark)
    # Clusters by number (a cluster has one place: the round table checks it), counted with
    # one pass over the rows rather than a group-by on text.
    code = flags["cluster_code"]
    numbers = (code.cat.codes.to_numpy() if isinstance(code.dtype, pd.CategoricalDtype)
               else pd.factorize(code)[0])
    below_counts = np.bincount(numbers[in_span], weights=below_exit[in_span],
                               minlength=int(numbers.max(initial=-1)) + 1)
    every_round = below_counts == len(span)

    at = (round_values == at_round).to_numpy()
    current = flags[at]
    status = current["status"].astype(str).to_numpy()
    counts = pd.DataFrame({
        "province": current["province"].astype(str).to_numpy(),
        "district": current["district"].astype(str).to_numpy(),
        "clusters": 1,
        "low_performing": status == Status.LOW_PERFORMING.label,
        "newly_listed": (status == Status.LOW_PERFORMING.label)
        & (current["entered_round"].astype(object) == at_round).to_numpy(),
        "left_list": (current["exited_round"].astype(object) == at_round).to_numpy(),
        "watch": status == Status.WATCH.label,
        "on_track": status == Status.ON_TRACK.label,
        "no_data": status == Status.NO_DATA.label,
        "below_exit_every_round": every_round[numbers[at]],
    })
    measures = [c for c in SUMMARY_COLUMNS if c not in ("level", "province", "district",
                                                          "share_below_exit")]
    districts = counts.groupby(["province", "district"], sort=False)[measures].sum().reset_index()
    districts.insert(0, "level", "district")
    provinces = counts.groupby("province", sort=False)[measures].sum().reset_index()
    provinces.insert(0, "level", "province")
    provinces.insert(2, "district", "All districts")
    region = counts[measures].sum().to_frame().T
    region.insert(0, "level", "region")
    region.insert(1, "province", "Region")
    region.insert(2, "district", "All districts")

    parts = []
    for province, rows in districts.groupby("province", sort=False):
        parts.extend([rows, provinces[provinces["province"] == province]])
    parts.append(region)
    result = pd.concat(parts, ignore_index=True)
    for column in measures:
        result[column] = result[column].astype(int)
    result["share_below_exit"] = (100.0 * result["below_exit_every_round"]
                                  / result["clusters"].where(result["clusters"] > 0)).round(1)
    result.attrs["round"] = at_round
    result.attrs["since"] = since
    return result[list(SUMMARY_COLUMNS)]


def latest_status(flags: pd.DataFrame, at_round: Hashable | None = None) -> pd.DataFrame:
    """One row per cluster: its status, reasons and priority in one round (default the last)."""
    rounds = list(flags["round"].cat.categories) if isinstance(
        flags["round"].dtype, pd.CategoricalDtype) else list(pd.unique(flags["round"]))
    at_round = rounds[-1] if at_round is None else at_round
    rows = flags[(flags["round"] == at_round).to_numpy()]
    return rows.reset_index(drop=True)
