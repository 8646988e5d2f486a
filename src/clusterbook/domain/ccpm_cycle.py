"""The CCPM cycle after scoring: workshop groups, Annex I and its checks, the monthly
follow-up and quarterly progress, the inter-cluster overview and the next due date.

The readings of ``ccpm.md`` that these rules make are listed in ``clusterbook.domain.ccpm``
and in ``docs/ccpm.md``. Everything here is pure: tables in and out, no files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from clusterbook.domain.ccpm import (
    CONSTRAINT_AT_MOST,
    NEEDS_ACTION,
    id_key,
    normalise_label,
    organisation_type,
)
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.values import clean_text, is_blank, is_only_spaces, to_date
from clusterbook.forms.ccpm import ANNEX_ACTIONS, ANNEX_STATUS, FOLLOW_UP, MONTHS
from clusterbook.forms.ccpm_bank import (
    ACTION_PROGRESS,
    FUNCTIONS,
    NEW_EMERGENCY,
    NOT_ASSESSED,
    ORGANISATION_TYPES,
    PROTRACTED,
    STATUSES,
    SUB_FUNCTIONS,
)
from clusterbook.forms.schema import TableSection

#: Priority actions allowed per function in Annex I.
MAX_ACTIONS: Final = 5
#: Participants from which every function gets its own group (but 6 and 7 share).
LARGE_WORKSHOP: Final = 30
GROUP_SIZE: Final = (5, 6)
#: A weakness is common when at least this many clusters share it.
COMMON_IN: Final = 2
#: Why the next CCPM is due when it is (the report book's formula says the same words).
DUE_YEARLY: Final = "a year after this CCPM"
DUE_SOONER: Final = "6 months after this CCPM: a function is Weak or Unsatisfactory"
DUE_FIRST: Final = "first CCPM of a new emergency: 3 to 6 months after onset"

# -------------------------------------------------------------------------------- workshop

def group_plan(participants: int) -> tuple[tuple[str, ...], ...]:
    """The functions each working group takes, for a number of participants.

    At most six groups, one function each: with 30 or more participants functions 6 and 7
    share a group; with fewer, functions 4 and 5 and functions 6 and 7 share.
    """
    if participants >= LARGE_WORKSHOP:
        return (("1",), ("2",), ("3",), ("4",), ("5",), ("6", "7"))
    return (("1",), ("2",), ("3",), ("4", "5"), ("6", "7"))


def workshop_groups(participants: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Split the participants into working groups, and notes on the groups' sizes.

    ``participants`` has name, organisation and organisation_type. They are dealt in turn into
    the groups after sorting by organisation type and organisation, so each group mixes
    types and organisations. Returns one row per participant (group, functions, name,
    organisation, organisation_type) and notes when groups fall outside 5 to 6 people.
    """
    people = participants.copy()
    for column in ("name", "organisation", "organisation_type"):
        if column not in people:
            people[column] = ""
        people[column] = people[column].map(clean_text)
    people = people[people["name"] != ""]
    kinds = {kind: index for index, kind in enumerate(ORGANISATION_TYPES)}
    people["_type"] = people["organisation_type"].map(
        lambda value: kinds.get(organisation_type(value) or "", len(kinds)))
    people = people.sort_values(["_type", "organisation", "name"], kind="stable")
    plan = group_plan(len(people))
    people["group"] = [index % len(plan) + 1 for index in range(len(people))]
    people["functions"] = people["group"].map(lambda g: " and ".join(plan[g - 1]))
    people = people.sort_values(["group", "_type", "organisation", "name"], kind="stable")
    notes: list[str] = []
    smallest, largest = GROUP_SIZE
    if len(people) < smallest * len(plan):
        notes.append(f"With {len(people)} participants some groups have fewer than "
                     f"{smallest} people; consider inviting more partners.")
    if len(people) > largest * len(plan):
        notes.append(f"With {len(people)} participants groups have more than {largest} "
                     f"people; at most {len(plan)} groups are formed.")
    columns = ["group", "functions", "name", "organisation", "organisation_type"]
    return people[columns].reset_index(drop=True), notes


# ------------------------------------------------------------------- Annex I and follow-up

def final_status(computed: object, amended: object) -> str:
    """The status that counts: the amended one when one was recorded, else the computed one."""
    amended_text = _status_text(amended)
    return amended_text if amended_text else (_status_text(computed) or NOT_ASSESSED)


def _status_text(value: object) -> str:
    key = normalise_label(value)
    return next((status for status in STATUSES if status.casefold() == key), "")


def function_of(value: object) -> str | None:
    """The function id an Annex I entry names: '3', 3, '3. Planning ...' or the name itself."""
    text = clean_text(value)
    if not text:
        return None
    match = re.match(r"^\s*(?:function\s*)?([1-7])(?:\.0)?(?:[.):\s-]|$)", text, re.IGNORECASE)
    if match:
        return match.group(1)
    key = normalise_label(text)
    for number, name in FUNCTIONS.items():
        if key == name.casefold():
            return number
    return None


def _section_cell(section: TableSection, field_key: str, row: object) -> str:
    """The cell of a field in a sheet row of a report section ('' when the row is unknown)."""
    return f"{section.column(field_key)}{row}" if row else ""


def check_annex(statuses: pd.DataFrame, actions: pd.DataFrame, *, file: str = ""
                ) -> list[Finding]:
    """The rules of Annex I, as findings on its cells.

    ``statuses``: one row per function (function, computed_status, amended_status, reason,
    consensus, row); ``actions``: one row per action (function, action, responsible, deadline,
    support, row), ``row`` being the sheet row. Errors: a Weak or Unsatisfactory function
    (final status) without an action; more than 5 actions for a function; an amended status
    that is not a status, or has no reason or no consensus note; an action for no known
    function. Warnings: an action without responsible organisation or deadline.
    """
    findings: list[Finding] = []

    def add(severity: Severity, rule: str, message: str, section: TableSection, key: str,
            row: object, value: object = "") -> None:
        findings.append(Finding(severity, rule, message, file, section.sheet,
                                _section_cell(section, key, row), clean_text(value)))

    counted: dict[str, list[Mapping[Hashable, Any]]] = defaultdict(list)
    for action in actions.to_dict("records"):
        text = clean_text(action.get("action"))
        function = function_of(action.get("function"))
        if not text and function is None and not clean_text(action.get("responsible")):
            continue
        row = action.get("row")
        if function is None:
            add(Severity.ERROR, "ccpm-annex-function",
                "choose the function this action is for" if not clean_text(
                    action.get("function")) else
                f"'{clean_text(action.get('function'))}' is not one of the seven functions",
                ANNEX_ACTIONS, "function", row, action.get("function"))
            continue
        if not text:
            add(Severity.ERROR, "ccpm-annex-action", f"function {function}: the action is "
                "empty", ANNEX_ACTIONS, "action", row)
            continue
        counted[function].append(action)
        if not clean_text(action.get("responsible")):
            add(Severity.WARNING, "ccpm-annex-action", f"function {function}: say which "
                "organisation is responsible for this action", ANNEX_ACTIONS,
                "responsible", row)
        deadline = action.get("deadline")
        try:
            when = to_date(deadline)
        except ValueError:
            add(Severity.ERROR, "ccpm-annex-action", f"function {function}: the deadline "
                f"'{clean_text(deadline)}' is not a date", ANNEX_ACTIONS, "deadline", row,
                deadline)
        else:
            if when is None:
                add(Severity.WARNING, "ccpm-annex-action", f"function {function}: give the "
                    "action a deadline", ANNEX_ACTIONS, "deadline", row)
    for function, listed in counted.items():
        if len(listed) > MAX_ACTIONS:
            extra = listed[MAX_ACTIONS]
            add(Severity.ERROR, "ccpm-annex-too-many",
                f"function {function} has {len(listed)} priority actions; keep at most "
                f"{MAX_ACTIONS}", ANNEX_ACTIONS, "action", extra.get("row"),
                extra.get("action"))
    for entry in statuses.to_dict("records"):
        function = function_of(entry.get("function"))
        if function is None:
            continue
        row = entry.get("row")
        amended_raw = clean_text(entry.get("amended_status"))
        amended = _status_text(amended_raw)
        if amended_raw and (not amended or amended == NOT_ASSESSED):
            add(Severity.ERROR, "ccpm-annex-status",
                f"function {function}: the amended status '{amended_raw}' should be Good, "
                "Satisfactory, Unsatisfactory or Weak", ANNEX_STATUS, "amended_status", row,
                amended_raw)
            amended = ""
        if amended:
            if not clean_text(entry.get("reason")):
                add(Severity.ERROR, "ccpm-annex-amendment",
                    f"function {function}: the status was amended to {amended} without a "
                    "reason; record why", ANNEX_STATUS, "reason", row)
            if not clean_text(entry.get("consensus")):
                add(Severity.ERROR, "ccpm-annex-amendment",
                    f"function {function}: the status was amended to {amended} without the "
                    "consensus note", ANNEX_STATUS, "consensus", row)
        status = final_status(entry.get("computed_status"), amended)
        if status in NEEDS_ACTION and not counted.get(function):
            add(Severity.ERROR, "ccpm-annex-no-action",
                f"function {function} is {status} but has no priority action; add at least one",
                ANNEX_STATUS, "final_status", row, status)
    return findings


def latest_progress(months: Sequence[object], upto: int) -> str:
    """An action's progress at the end of month ``upto``: the last status recorded in months
    1..upto, '' when none was."""
    latest = ""
    for value in list(months)[:upto]:
        key = normalise_label(value)
        for status in ACTION_PROGRESS:
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
    counts: dict[str, dict[str, int]] = {f: dict.fromkeys(ACTION_PROGRESS, 0) for f in FUNCTIONS}
    for row in follow_up.to_dict("records"):
        function = function_of(row.get("function"))
        if function is None or not clean_text(row.get("action")):
            continue
        latest = latest_progress([row.get(column) for column in month_columns], upto)
        counts[function][latest or ACTION_PROGRESS[0]] += 1
    frame = pd.DataFrame([{"function": function, "actions": sum(tally.values()), **tally}
                          for function, tally in counts.items()])
    totals = frame.drop(columns="function").sum()
    frame.loc[len(frame)] = {"function": "All", **{key: int(value) for key, value in
                                                    totals.items()}}
    return frame[["function", "actions", "Done", "In progress", "Delayed", "Not started"]]


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
                    FOLLOW_UP.sheet, _section_cell(FOLLOW_UP, f"month_{month}",
                                                   row.get("row")), clean_text(value)))
    return findings


# -------------------------------------------------------------------------------- overview

def overview_matrix(statuses: pd.DataFrame) -> pd.DataFrame:
    """The function-by-cluster matrix of final statuses.

    ``statuses`` has one row per cluster and function (or sub-function): cluster, function,
    computed_status, amended_status (may be empty). Returns one row per function in report
    order and one column per cluster in the order given, holding the final status.
    """
    frame = statuses.copy()
    frame["final_status"] = [final_status(computed, amended) for computed, amended in
                             zip(frame["computed_status"], frame.get(
                                 "amended_status", pd.Series([""] * len(frame))),
                                 strict=True)]
    clusters = list(dict.fromkeys(frame["cluster"]))
    order = sorted(dict.fromkeys(frame["function"]), key=id_key)
    matrix = frame.pivot_table(index="function", columns="cluster", values="final_status",
                               aggfunc="first")
    matrix = matrix.reindex(index=order, columns=clusters).fillna(NOT_ASSESSED)
    matrix.columns.name = None
    return matrix


def common_weaknesses(statuses: pd.DataFrame, questions: pd.DataFrame | None = None, *,
                      at_least: int = COMMON_IN) -> pd.DataFrame:
    """Weaknesses shared by several clusters.

    Functions and sub-functions whose final status is Unsatisfactory or Weak in at least
    ``at_least`` clusters, and questions that were constraints (75 % or less) in at least
    that many. ``questions`` has cluster, question_id, text, score. One row per weakness:
    kind, id, name, clusters (count), cluster names, and the statuses or scores.
    """
    matrix = overview_matrix(statuses)
    rows = []
    for function, line in matrix.iterrows():
        weak = [cluster for cluster, status in line.items() if status in NEEDS_ACTION]
        if len(weak) >= at_least:
            rows.append({"kind": "function" if "." not in str(function) else "sub-function",
                         "id": function, "name": _group_name(str(function)),
                         "clusters": len(weak), "which": ", ".join(map(str, weak)),
                         "detail": ", ".join(f"{cluster}: {status}" for cluster, status
                                             in line.items() if status in NEEDS_ACTION)})
    if questions is not None and len(questions):
        low = questions[questions["score"].notna()
                        & (questions["score"] <= CONSTRAINT_AT_MOST)]
        for (question_id, text), group in low.groupby(["question_id", "text"], sort=False):
            clusters = list(dict.fromkeys(group["cluster"]))
            if len(clusters) >= at_least:
                rows.append({"kind": "question", "id": question_id, "name": text,
                             "clusters": len(clusters), "which": ", ".join(clusters),
                             "detail": ", ".join(f"{c}: {s:.0f}%" for c, s in
                                                 zip(group["cluster"], group["score"],
                                                     strict=True))})
    frame = pd.DataFrame(rows, columns=["kind", "id", "name", "clusters", "which", "detail"])
    kind_order = {"function": 0, "sub-function": 1, "question": 2}
    return frame.sort_values(["clusters", "kind"], ascending=[False, True], kind="stable",
                             key=lambda s: s.map(kind_order) if s.name == "kind" else s
                             ).reset_index(drop=True)


def _group_name(group: str) -> str:
    return FUNCTIONS.get(group) or SUB_FUNCTIONS.get(group) or group


# ---------------------------------------------------------------------------- next CCPM due

@dataclass(frozen=True)
class NextDue:
    """When the next CCPM is due: from ``earliest`` to ``due`` (the same day unless a window),
    and why."""

    earliest: dt.date
    due: dt.date
    reason: str


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (like Excel's
    EDATE)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def next_due(last: dt.date | None, *, crisis: str = PROTRACTED, onset: dt.date | None = None,
             statuses: Iterable[str] = ()) -> NextDue:
    """When the next CCPM is due.

    Protracted crisis: a year after the last CCPM. New emergency: 3 to 6 months after onset
    for the first CCPM (when none was held since onset), then yearly. Either way, 6 months
    after the last CCPM when any function's (final) status is Weak or Unsatisfactory.
    """
    emergency = normalise_label(crisis) == NEW_EMERGENCY.casefold()
    if emergency and onset is not None and (last is None or last < onset):
        return NextDue(add_months(onset, 3), add_months(onset, 6), DUE_FIRST)
    if last is None:
        raise ValueError("the date of the last CCPM is needed (or, for a new emergency, the "
                         "date of onset)")
    if any(status in NEEDS_ACTION for status in statuses):
        due = add_months(last, 6)
        return NextDue(due, due, DUE_SOONER)
    due = add_months(last, 12)
    return NextDue(due, due, DUE_YEARLY)
