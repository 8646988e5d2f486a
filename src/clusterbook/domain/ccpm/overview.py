"""The inter-cluster overview: the function-by-cluster matrix of final statuses and the
weaknesses common to several clusters."""

from __future__ import annotations

from typing import Final

import pandas as pd

from clusterbook.domain.ccpm.annex import final_status
from clusterbook.domain.ccpm.bank import id_key
from clusterbook.domain.ccpm.scores import CONSTRAINT_AT_MOST, NEEDS_ACTION
from clusterbook.forms.ccpm_bank import FUNCTIONS, SUB_FUNCTIONS, CcpmStatus

#: A weakness is common when at least this many clusters share it.
COMMON_IN: Final = 2

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
    matrix = matrix.reindex(index=order, columns=clusters).fillna(CcpmStatus.NOT_ASSESSED)
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
                         "id": function, "name": group_name(str(function)),
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


def group_name(group: str) -> str:
    """The name of a function or sub-function (the id itself when it has none)."""
    return FUNCTIONS.get(group) or SUB_FUNCTIONS.get(group) or group
