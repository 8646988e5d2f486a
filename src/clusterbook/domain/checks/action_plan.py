"""The action plan's rules: deadlines, Pull and Push strategies, the low-performing list."""

from __future__ import annotations

import datetime as dt

from clusterbook.domain.checks.common import (
    CheckContext,
    Found,
    duplicate_rows,
    record_value,
    table_column,
)
from clusterbook.domain.clusterlist import ClusterList, code_key, place_key
from clusterbook.domain.findings import Finding
from clusterbook.domain.rule_registry import RuleId
from clusterbook.domain.submission import Document, Table
from clusterbook.domain.typed_values import day_text


def check_action_plan(document: Document, context: CheckContext) -> list[Finding]:
    """The findings of one action plan's rules: deadlines, strategies, the list."""
    found = Found(document)
    actions = document.tables.get("actions")
    if actions is None:
        return found.items
    for row, status, _ in table_column(actions, "status"):
        if status != "Planned":
            continue
        deadline = next((day for r, day, _ in table_column(actions, "deadline") if r == row), None)
        if isinstance(deadline, dt.date) and deadline < context.today:
            found.add(RuleId.DEADLINE_PASSED,
                      f"This action is still 'Planned' but its deadline, "
                      f"{day_text(deadline)}, has passed; update its status "
                      f"or set a new deadline.",
                      actions.sheet, actions.cell("deadline", row), deadline)
    _strategies(found, actions)
    if context.clusters is not None:
        _actions_on_list(found, document, actions, context.clusters)
    duplicate_rows(found, actions)
    return found.items


def _strategies(found: Found, actions: Table) -> None:
    by_cluster: dict[str, list[tuple[int, object]]] = {}
    strategies = {row: value for row, value, _ in table_column(actions, "strategy")}
    for row, code, _ in table_column(actions, "cluster_code"):
        if isinstance(code, str) and code:
            by_cluster.setdefault(code_key(code), []).append((row, code))
    for rows in by_cluster.values():
        present = {strategies.get(row) for row, _ in rows} - {None}
        if len(present) != 1:
            continue
        (have,) = present
        other = "Push" if have == "Pull" else "Pull"
        row, code = rows[0]
        found.add(RuleId.STRATEGY_MISSING,
                  f"Cluster {code} has {have} actions but no {other} action; "
                  f"plan both (Pull: demand, Push: supply).",
                  actions.sheet, actions.cell("strategy", row), have)


def _actions_on_list(found: Found, document: Document, actions: Table,
                     clusters: ClusterList) -> None:
    district, _, _sheet = record_value(document, "details", "district")
    seen: set[str] = set()
    for row, code, raw in table_column(actions, "cluster_code"):
        if not isinstance(code, str) or not code:
            continue
        cell = actions.cell("cluster_code", row)
        info = clusters.get(code)
        if info is None:
            found.add(RuleId.CLUSTER_UNKNOWN, f"Cluster code '{code}' is not on the cluster list "
                                              f"({clusters.source or 'given'}); check the code.",
                      actions.sheet, cell, raw)
            continue
        seen.add(code_key(info.code))
        if district and place_key(district) != place_key(info.district):
            found.add(RuleId.CLUSTER_DISTRICT,
                      f"Cluster {info.code} belongs to {info.district} "
                      f"({info.province}) on the cluster list, not to this "
                      f"plan's district '{district}'.",
                      actions.sheet, cell, raw)
        elif clusters.knows_status and not info.low_performing:
            found.add(RuleId.ACTION_NOT_LISTED, f"Cluster {info.code} is not on the low-performing "
                                                f"list; actions are planned for listed clusters.",
                      actions.sheet, cell, raw)
    if district and clusters.knows_status:
        for info in clusters.low_performing_in(district):
            if code_key(info.code) not in seen:
                found.add(RuleId.ACTION_MISSING,
                          f"Cluster {info.code} ({info.name or 'no name'}) is "
                          f"on the low-performing list but has no action in "
                          f"this plan.", actions.sheet, actions.first_cell,
                          info.code)
