"""The CCPM cycle after scoring: workshop groups, Annex I rules, follow-up, overview, next due."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from clusterbook.domain.ccpm import (
    DUE_FIRST,
    DUE_SOONER,
    DUE_YEARLY,
    add_months,
    check_annex,
    common_weaknesses,
    final_status,
    group_plan,
    latest_progress,
    next_due,
    overview_matrix,
    progress_findings,
    quarterly_progress,
    workshop_groups,
)
from clusterbook.domain.findings import Severity
from clusterbook.forms.ccpm_bank import FUNCTION_LABELS, ORGANISATION_TYPES


def participants(count: int) -> pd.DataFrame:
    kinds = ORGANISATION_TYPES[:4]
    return pd.DataFrame({"name": [f"P{index:02d}" for index in range(count)],
                         "organisation": [f"Org {index % 9}" for index in range(count)],
                         "organisation_type": [kinds[index % 4] for index in range(count)]})


def test_group_plan_follows_the_participant_count():
    assert group_plan(29) == (("1",), ("2",), ("3",), ("4", "5"), ("6", "7"))
    assert group_plan(30) == (("1",), ("2",), ("3",), ("4",), ("5",), ("6", "7"))
    assert len(group_plan(200)) == 6  # never more than six groups


@pytest.mark.parametrize(("count", "groups", "sizes"), [
    (29, 5, {5, 6}), (30, 6, {5}), (36, 6, {6}), (27, 5, {5, 6})])
def test_participants_are_dealt_into_mixed_groups(count, groups, sizes):
    table, notes = workshop_groups(participants(count))
    assert len(table) == count
    per_group = table.groupby("group").size()
    assert len(per_group) == groups and set(per_group) == sizes
    assert notes == []
    # Every group mixes at least three organisation types.
    assert table.groupby("group")["organisation_type"].nunique().min() >= 3
    together = table.drop_duplicates("group").set_index("group")["functions"]
    assert together.iloc[-1] == "6 and 7"
    if groups == 5:
        assert together.loc[4] == "4 and 5"


def test_small_and_large_workshops_are_noted():
    _, notes = workshop_groups(participants(12))
    assert "fewer than 5" in notes[0]
    _, notes = workshop_groups(participants(40))
    assert "more than 6" in notes[0]


def statuses(**amendments: dict[str, str]) -> pd.DataFrame:
    computed = {"1": "Good", "2": "Satisfactory", "3": "Satisfactory", "4": "Unsatisfactory",
                "5": "Weak", "6": "Satisfactory", "7": "Unsatisfactory"}
    rows = []
    for offset, (function, status) in enumerate(computed.items()):
        row = {"function": function, "computed_status": status, "amended_status": "",
               "reason": "", "consensus": "", "row": 6 + offset}
        row.update(amendments.get(f"f{function}", {}))
        rows.append(row)
    return pd.DataFrame(rows)


def actions(*functions: str) -> pd.DataFrame:
    return pd.DataFrame([{"function": FUNCTION_LABELS[int(f) - 1], "action": f"Do {index}",
                          "responsible": "Lead agency", "deadline": dt.date(2025, 9, 30),
                          "support": "", "row": 6 + index}
                         for index, f in enumerate(functions)])


def rules(findings) -> list[tuple[str, str, str]]:
    return sorted((f.rule, f.sheet, f.cell) for f in findings)


def test_a_complete_annex_has_no_finding():
    assert check_annex(statuses(), actions("4", "5", "7")) == []


def test_weak_or_unsatisfactory_functions_need_an_action():
    found = check_annex(statuses(), actions("4"), file="report.xlsx")
    assert rules(found) == [("ccpm-annex-no-action", "Annex I", "I10"),
                            ("ccpm-annex-no-action", "Annex I", "I12")]
    assert found[0].file == "report.xlsx" and found[0].severity is Severity.ERROR
    assert "function 5 is Weak but has no priority action" in found[0].message


def test_more_than_five_actions_for_a_function():
    found = check_annex(statuses(), actions("4", "4", "4", "4", "4", "4", "5", "7"))
    # The sixth action of function 4 is in sheet row 11.
    assert rules(found) == [("ccpm-annex-too-many", "Annex I actions", "B11")]


def test_amended_status_needs_a_reason_and_a_consensus_note():
    table = statuses(f6={"amended_status": "Weak"}, f4={"amended_status": "Good",
                                                        "reason": "Score misleading",
                                                        "consensus": "All agreed"})
    found = check_annex(table, actions("5", "7"))
    # Function 6 amended to Weak: no reason, no note, and now it needs an action.
    # Function 4 amended to Good: no action needed any more.
    assert rules(found) == [("ccpm-annex-amendment", "Annex I", "E11"),
                            ("ccpm-annex-amendment", "Annex I", "F11"),
                            ("ccpm-annex-no-action", "Annex I", "I11")]


def test_an_amended_status_must_be_a_band():
    found = check_annex(statuses(f1={"amended_status": "Excellent", "reason": "x",
                                     "consensus": "y"}), actions("4", "5", "7"))
    assert rules(found) == [("ccpm-annex-status", "Annex I", "D6")]


def test_action_rows_are_checked():
    rows = actions("4", "5", "7")
    extra = pd.DataFrame([
        {"function": "", "action": "Something", "responsible": "X", "deadline": None,
         "support": "", "row": 20},
        {"function": "9. Nothing", "action": "Else", "responsible": "", "deadline": "soon",
         "support": "", "row": 21},
        {"function": FUNCTION_LABELS[0], "action": "Map", "responsible": "", "deadline": None,
         "support": "", "row": 22},
    ])
    found = check_annex(statuses(), pd.concat([rows, extra], ignore_index=True))
    assert rules(found) == [("ccpm-annex-action", "Annex I actions", "C22"),
                            ("ccpm-annex-action", "Annex I actions", "D22"),
                            ("ccpm-annex-function", "Annex I actions", "A20"),
                            ("ccpm-annex-function", "Annex I actions", "A21")]
    assert {f.severity for f in found if f.rule == "ccpm-annex-action"} == {Severity.WARNING}


def test_final_status():
    assert final_status("Weak", "") == "Weak"
    assert final_status("Weak", "satisfactory") == "Satisfactory"
    assert final_status("", None) == "Not assessed"


def follow_up() -> pd.DataFrame:
    months = {
        "a": ["Not started", "In progress", "", "Done"],
        "b": ["In progress", "", "", "", "", "Delayed"],
        "c": [],
        "d": ["Not started", "", "Done"],
    }
    rows = []
    for index, (name, progress) in enumerate(months.items()):
        row = {"function": FUNCTION_LABELS[3 if name != "d" else 4], "action": name,
               "row": 6 + index}
        for month in range(1, 13):
            row[f"month_{month}"] = progress[month - 1] if month <= len(progress) else ""
        rows.append(row)
    return pd.DataFrame(rows)


def test_latest_progress_carries_forward():
    assert latest_progress(["Not started", "In progress", "", "Done"], 3) == "In progress"
    assert latest_progress(["Not started", "In progress", "", "Done"], 4) == "Done"
    assert latest_progress(["", ""], 2) == ""


def test_quarterly_progress_by_hand():
    q1 = quarterly_progress(follow_up(), 1).set_index("function")
    # Function 4: a In progress, b In progress, c nothing yet (Not started); 5: d Done.
    assert q1.loc["4", ["actions", "Done", "In progress", "Delayed", "Not started"]].tolist() \
        == [3, 0, 2, 0, 1]
    assert q1.loc["5", ["actions", "Done"]].tolist() == [1, 1]
    assert q1.loc["All", "actions"] == 4
    q2 = quarterly_progress(follow_up(), 2).set_index("function")
    assert q2.loc["4", ["Done", "In progress", "Delayed", "Not started"]].tolist() == [1, 0, 1, 1]
    with pytest.raises(ValueError):
        quarterly_progress(follow_up(), 5)


def test_follow_up_values_must_be_progress_words():
    table = follow_up()
    table.loc[1, "month_3"] = "Finished"
    found = progress_findings(table, file="r.xlsx")
    assert [(f.sheet, f.cell, f.value) for f in found] == [("Follow-up", "G7", "Finished")]


def test_next_due_dates():
    day = dt.date(2025, 8, 31)
    assert next_due(day, statuses=["Good", "Satisfactory"]).due == dt.date(2026, 8, 31)
    assert next_due(day, statuses=["Good", "Satisfactory"]).reason == DUE_YEARLY
    sooner = next_due(day, statuses=["Good", "Weak"])
    assert sooner.due == dt.date(2026, 2, 28) and sooner.reason == DUE_SOONER
    assert next_due(day, statuses=["Unsatisfactory"]).due == dt.date(2026, 2, 28)
    first = next_due(None, crisis="New emergency", onset=dt.date(2025, 1, 31))
    assert (first.earliest, first.due, first.reason) == (dt.date(2025, 4, 30),
                                                         dt.date(2025, 7, 31), DUE_FIRST)
    later = next_due(dt.date(2025, 6, 1), crisis="New emergency", onset=dt.date(2025, 1, 31))
    assert later.due == dt.date(2026, 6, 1)
    with pytest.raises(ValueError):
        next_due(None)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def overview_statuses() -> pd.DataFrame:
    rows = []
    table = {"Health": {"1": "Good", "4": "Weak", "4.1": "Weak", "5": "Satisfactory"},
             "WASH": {"1": "Good", "4": "Unsatisfactory", "4.1": "Satisfactory", "5": "Weak"},
             "Nutrition": {"1": "Satisfactory", "4": "Weak", "4.1": "Weak",
                           "5": "Unsatisfactory"}}
    for cluster, statuses_ in table.items():
        for function, status in statuses_.items():
            amended = "Satisfactory" if (cluster, function) == ("Nutrition", "5") else ""
            rows.append({"cluster": cluster, "function": function, "computed_status": status,
                         "amended_status": amended})
    return pd.DataFrame(rows)


def test_overview_matrix_uses_final_statuses():
    matrix = overview_matrix(overview_statuses())
    assert list(matrix.columns) == ["Health", "WASH", "Nutrition"]
    assert list(matrix.index) == ["1", "4", "4.1", "5"]
    assert matrix.loc["5"].tolist() == ["Satisfactory", "Weak", "Satisfactory"]


def test_common_weaknesses():
    questions = pd.DataFrame([
        {"cluster": "Health", "question_id": "7a", "text": "Feedback", "score": 40.0},
        {"cluster": "WASH", "question_id": "7a", "text": "Feedback", "score": 75.0},
        {"cluster": "WASH", "question_id": "1.1a", "text": "Meetings", "score": 80.0},
        {"cluster": "Health", "question_id": "1.1a", "text": "Meetings", "score": 70.0},
    ])
    common = common_weaknesses(overview_statuses(), questions)
    found = [(row.kind, row.id, row.clusters) for row in common.itertuples()]
    # Function 4 is weak everywhere; 4.1 in two; 5 only in WASH once amended; 7a at or
    # below 75 in two clusters; 1.1a in one.
    assert found == [("function", "4", 3), ("sub-function", "4.1", 2), ("question", "7a", 2)]
    assert common.loc[0, "which"] == "Health, WASH, Nutrition"
