"""The follow-up of the priority actions: each action's progress month by month and the
quarterly progress per function."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from clusterbook.domain.ccpm.annex import function_of, section_cell
from clusterbook.domain.ccpm.scales import normalise_label
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.values import clean_text, is_blank, is_only_spaces
from clusterbook.forms.ccpm import FOLLOW_UP, MONTHS
from clusterbook.forms.ccpm_bank import ACTION_PROGRESS, FUNCTIONS, ActionProgress


def latest_progress(months: Sequence[object], upto: int) -> str:
    """An action's progress at the end of month ``upto``: the last status recorded in months
    1..upto, '' when none was."""
    latest = ""
    for value in list(months)[:upto]:
        key = normalise_label(value)
        for status in ActionProgress:
            if status.casefold() == key:
                latest = status
    return latest


def quarterly_progress(follow_up: pd.DataFrame, quarter: int) -> pd.DataFrame:
    """Progress of the priority actions per function at the end of a quarter (1 to 4).

    ``follow_up`` has function, action and month_1 .. month_12 columns. Each action counts
    under its last status recorded by the quarter's end; actions with no status yet count as
    Not started. One row per function (function, actions, Done, In progress, Delayed, Not
    started) and a total row 'All'.
    """
    if not 1 <= quarter <= MONTHS // 3:
        raise ValueError(f"quarter {quarter} is not 1 to 4")
    upto = quarter * 3
    month_columns = [f"month_{month}" for month in range(1, MONTHS + 1)]
    counts: dict[str, dict[str, int]] = {f: dict.fromkeys(ActionProgress, 0) for f in FUNCTIONS}
    for row in follow_up.to_dict("records"):
        function = function_of(row.get("function"))
        if function is None or not clean_text(row.get("action")):
            continue
        latest = latest_progress([row.get(column) for column in month_columns], upto)
        counts[function][latest or ActionProgress.NOT_STARTED] += 1
    frame = pd.DataFrame([{"function": function, "actions": sum(tally.values()), **tally}
                          for function, tally in counts.items()])
    totals = frame.drop(columns="function").sum()
    frame.loc[len(frame)] = {"function": "All", **{key: int(value) for key, value in
                                                    totals.items()}}
    return frame[["function", "actions", ActionProgress.DONE, ActionProgress.IN_PROGRESS,
                  ActionProgress.DELAYED, ActionProgress.NOT_STARTED]]


def progress_findings(follow_up: pd.DataFrame, *, file: str = "") -> list[Finding]:
    """Follow-up cells that hold something other than Not started, In progress, Done or
    Delayed. ``follow_up`` rows carry ``row``, the sheet row."""
    findings = []
    for row in follow_up.to_dict("records"):
        for month in range(1, MONTHS + 1):
            value = row.get(f"month_{month}")
            if is_blank(value) or is_only_spaces(value):
                continue
            if latest_progress([value], 1) == "":
                findings.append(Finding(
                    Severity.ERROR, "ccpm-follow-up",
                    f"'{clean_text(value)}' should be {', '.join(ACTION_PROGRESS)}", file,
                    FOLLOW_UP.sheet, section_cell(FOLLOW_UP, f"month_{month}",
                                                   row.get("row")), clean_text(value)))
    return findings
