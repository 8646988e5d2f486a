"""Annex I: the status that counts for each function, the function an entry names, and the
rules of the status amendments and the priority actions, as findings on the sheet's cells."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Mapping
from typing import Any, Final

import pandas as pd

from clusterbook.domain.ccpm.scales import normalise_label
from clusterbook.domain.ccpm.scores import NEEDS_ACTION
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.values import clean_text, to_date
from clusterbook.forms.ccpm import ANNEX_ACTIONS, ANNEX_STATUS
from clusterbook.forms.ccpm_bank import FUNCTIONS, CcpmStatus
from clusterbook.forms.cells import cell_ref
from clusterbook.forms.schema import TableSection

#: Priority actions allowed per function in Annex I.
MAX_ACTIONS: Final = 5

def final_status(computed: object, amended: object) -> CcpmStatus:
    """The status that counts: the amended one when one was recorded, else the computed one."""
    return _status_of(amended) or _status_of(computed) or CcpmStatus.NOT_ASSESSED


def _status_of(value: object) -> CcpmStatus | None:
    """The status a cell's text names, whatever its case and spacing; None for no status."""
    key = normalise_label(value)
    return next((status for status in CcpmStatus if status.casefold() == key), None)


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


def section_cell(section: TableSection, field_key: str, row: int | None) -> str:
    """The cell of a field in a sheet row of a report section ('' when the row is unknown)."""
    return cell_ref(int(row), section.column_index(field_key)) if row else ""


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
            row: int | None, value: object = "") -> None:
        findings.append(Finding(severity, rule, message, file, section.sheet,
                                section_cell(section, key, row), clean_text(value)))

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
        amended = _status_of(amended_raw)
        if amended_raw and (not amended or amended == CcpmStatus.NOT_ASSESSED):
            add(Severity.ERROR, "ccpm-annex-status",
                f"function {function}: the amended status '{amended_raw}' should be Good, "
                "Satisfactory, Unsatisfactory or Weak", ANNEX_STATUS, "amended_status", row,
                amended_raw)
            amended = None
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
