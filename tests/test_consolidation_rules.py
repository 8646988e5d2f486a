"""The merge rules on hand-made submissions: which one is current, identical files, what was
expected and received, and the reviewers' notes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from clusterbook.domain.clusterlist import ClusterList
from clusterbook.domain.consolidation import (
    ReviewerNote,
    ReviewStatus,
    Source,
    SourceRow,
    consolidate,
    entries_of,
)
from clusterbook.domain.findings import Finding, Severity
from clusterbook.forms import ACTION_PLAN, MICROPLAN, Form

CLUSTERS = ClusterList.from_frame(pd.DataFrame({
    "cluster_code": ["KTL-001", "KTL-002", "KTL-003", "NHR-001", "NHR-002"],
    "province": ["Northern Hills"] * 3 + ["River Plain"] * 2,
    "district": ["Kotal"] * 3 + ["Nahrin"] * 2,
    "cluster_name": ["Bala 1", "Payan 2", "Deh 3", "Qala 1", "Kalay 2"],
    "low_performing": [True, False, True, True, False],
}))


def sections(form: Form, **parts: list[dict[str, object]]) -> dict[str, list[SourceRow]]:
    """Section rows from plain values, in the form's field order."""
    rows = {}
    for key, entries in parts.items():
        section = form.section(key)
        rows[key] = [SourceRow(section.sheet, 3 + index,
                               tuple(entry.get(item.key) for item in section.fields))
                     for index, entry in enumerate(entries)]
    return rows


def microplan(file: str, code: str, *, signed: dt.date | None = None, received: str = "",
              district: str = "Kotal", province: str = "Northern Hills", errors: int = 0,
              team: int = 2) -> Source:
    fingerprint = f"{file}|{code}|{signed}"
    parts = sections(
        MICROPLAN,
        identification=[{"province": province, "district": district, "cluster_code": code}],
        team=[{"name": f"Member {n}", "role": "SM"} for n in range(team)],
        sign_off=[{"dc_date": signed, "cs_date": signed}])
    entries = entries_of(MICROPLAN, "", parts, file=file)
    received = received or "2025-03-20T08:00:00Z"
    for entry in entries:
        entry.fingerprint, entry.received = fingerprint, received
    findings = [Finding(Severity.ERROR, "count", "A count is wrong.", file, "Identification",
                        "B7") for _ in range(errors)]
    return Source(file, file, fingerprint, 1000, received, MICROPLAN.form_id, "2025.1",
                  entries, findings)


def action_plan(file: str, codes: list[str], prepared: dt.date, district: str = "Kotal"
                ) -> Source:
    fingerprint = f"{file}|{prepared}"
    parts = sections(ACTION_PLAN,
                     details=[{"province": "Northern Hills", "district": district,
                               "prepared_on": prepared}],
                     actions=[{"cluster_code": code, "strategy": strategy}
                              for code in codes for strategy in ("Pull", "Push")])
    entries = entries_of(ACTION_PLAN, "", parts, file=file)
    for entry in entries:
        entry.fingerprint, entry.received = fingerprint, "2025-03-01T08:00:00Z"
    return Source(file, file, fingerprint, 900, "2025-03-01T08:00:00Z", ACTION_PLAN.form_id,
                  "2025.1", entries)


def current_files(review) -> list[tuple[str, str]]:
    return [(entry.cluster_code, entry.file) for entry in review.current]


def test_the_later_signed_submission_is_current_and_the_other_is_listed():
    old = microplan("Kotal_KTL-001.xlsx", "KTL-001", signed=dt.date(2025, 3, 25),
                    received="2025-03-27T10:00:00Z")
    new = microplan("Kotal_KTL-001_v2.xlsx", "ktl 001", signed=dt.date(2025, 3, 28),
                    received="2025-03-26T09:00:00Z")  # received earlier, signed later
    review = consolidate([new, old], clusters=CLUSTERS)
    assert current_files(review) == [("ktl 001", "Kotal_KTL-001_v2.xlsx")]
    [replaced] = review.replaced
    assert (replaced.entry.file, replaced.by) == ("Kotal_KTL-001.xlsx", "Kotal_KTL-001_v2.xlsx")
    assert "28/03/2025" in replaced.reason and "25/03/2025" in replaced.reason
    assert {item.source.file: item.outcome for item in review.files} == {
        "Kotal_KTL-001_v2.xlsx": "Merged", "Kotal_KTL-001.xlsx": "Superseded"}


def test_without_a_sign_off_date_the_file_received_later_is_current():
    first = microplan("a.xlsx", "KTL-002", received="2025-03-20T08:00:00Z")
    second = microplan("b.xlsx", "KTL-002", received="2025-03-21T08:00:00Z")
    assert current_files(consolidate([second, first])) == [("KTL-002", "b.xlsx")]
    # A sign-off date counts before the day a file came in.
    signed = microplan("c.xlsx", "KTL-002", signed=dt.date(2025, 3, 22),
                       received="2025-03-19T08:00:00Z")
    assert current_files(consolidate([first, second, signed])) == [("KTL-002", "c.xlsx")]


def test_identical_files_count_once_and_the_copy_is_listed():
    original = microplan("Kotal_KTL-003.xlsx", "KTL-003", received="2025-03-20T08:00:00Z")
    copy = original.renamed("Copy of Kotal_KTL-003.xlsx")
    copy.received = "2025-03-20T09:30:00Z"
    review = consolidate([copy, original], clusters=CLUSTERS)
    assert current_files(review) == [("KTL-003", "Kotal_KTL-003.xlsx")]
    [listed] = review.replaced
    assert listed.entry.file == "Copy of Kotal_KTL-003.xlsx"
    assert listed.reason.startswith("Identical to Kotal_KTL-003.xlsx")
    assert review.districts.set_index("district").loc["Kotal", "received"] == 1


def test_the_same_file_carried_by_a_review_book_counts_once_silently():
    direct = microplan("Kotal_KTL-001.xlsx", "KTL-001")
    carried = direct.renamed("Kotal_KTL-001.xlsx")
    carried.via = "Northern Hills review.xlsx"
    review = consolidate([carried, direct], clusters=CLUSTERS)
    assert [(e.file, e.rows) for e in review.current] == [("Kotal_KTL-001.xlsx", 4)]
    assert review.replaced == []
    assert [item.source.via for item in review.files if item.outcome == "Merged"] == [""]


def test_a_form_without_a_cluster_code_is_never_replaced():
    first, second = microplan("x.xlsx", ""), microplan("y.xlsx", "")
    assert sorted(current_files(consolidate([first, second]))) == [("", "x.xlsx"),
                                                                    ("", "y.xlsx")]


def test_a_newer_action_plan_replaces_the_clusters_it_covers():
    older = action_plan("Kotal_action_plan.xlsx", ["KTL-001", "KTL-003"], dt.date(2025, 3, 1))
    newer = action_plan("Kotal_action_plan_updated.xlsx", ["KTL-001"], dt.date(2025, 3, 8))
    review = consolidate([older, newer], clusters=CLUSTERS)
    assert current_files(review) == [("KTL-001", "Kotal_action_plan_updated.xlsx"),
                                     ("KTL-003", "Kotal_action_plan.xlsx")]
    assert [(r.entry.cluster_code, r.entry.file) for r in review.replaced] == [
        ("KTL-001", "Kotal_action_plan.xlsx")]
    assert [e.rows for e in review.current] == [3, 3]  # details + Pull + Push
    outcomes = {item.source.file: item.outcome for item in review.files}
    assert outcomes["Kotal_action_plan.xlsx"] == "Merged (1 of 2 forms current)"


def test_the_summary_counts_what_was_expected_and_received():
    sources = [
        microplan("k1.xlsx", "KTL-001"),
        microplan("k2.xlsx", "KTL-002", errors=2),
        microplan("k9.xlsx", "KTL-009"),  # not on the cluster list
        microplan("n1.xlsx", "NHR-001", district="Nahrin", province="River Plain"),
        action_plan("plan.xlsx", ["KTL-001"], dt.date(2025, 3, 1)),
    ]
    review = consolidate(sources, clusters=CLUSTERS)
    districts = review.districts.set_index("district")
    kotal = districts.loc["Kotal"].to_dict()
    assert {key: kotal[key] for key in ("expected", "received", "valid", "with_errors",
                                        "not_received", "not_on_list", "listed",
                                        "with_action_plan", "without_action_plan")} == {
        "expected": 3, "received": 3, "valid": 2, "with_errors": 1, "not_received": 1,
        "not_on_list": 1, "listed": 2, "with_action_plan": 1, "without_action_plan": 1}
    nahrin = districts.loc["Nahrin"]
    assert (nahrin["expected"], nahrin["received"], nahrin["without_action_plan"]) == (2, 1, 1)
    total = review.provinces.iloc[-1]
    assert (total["province"], total["district"], total["expected"], total["received"]) == (
        "All", 2, 5, 4)


def test_without_a_cluster_list_only_what_was_received_is_counted():
    review = consolidate([microplan("k1.xlsx", "KTL-001"), microplan("k2.xlsx", "KTL-002",
                                                                     errors=1)])
    row = review.districts.iloc[0]
    assert (row["district"], row["received"], row["valid"], row["with_errors"]) == (
        "Kotal", 2, 1, 1)
    assert pd.isna(row["expected"]) and pd.isna(row["without_action_plan"])
    assert [f.cluster_code for f in review.feedback] == ["KTL-001", "KTL-002"]


def test_a_provincial_book_expects_only_its_provinces_clusters():
    review = consolidate([microplan("k1.xlsx", "KTL-001")], clusters=CLUSTERS,
                         level="province")
    assert review.districts["district"].tolist() == ["Kotal"]
    assert [f.cluster_code for f in review.feedback] == ["KTL-001", "KTL-002", "KTL-003"]
    with pytest.raises(ValueError):
        consolidate([], level="country")


def test_every_note_a_reviewer_typed_is_kept():
    notes = [
        ReviewerNote("KTL-001", "returned", "Team list incomplete", "High"),
        ReviewerNote("ktl-001", "Accepted", "Fixed on the phone", "Low"),  # typed twice
        ReviewerNote("XYZ-404", "Returned", "Which cluster is this?", "",
                     province="Northern Hills", district="Kotal"),  # no longer received
        ReviewerNote("", "", "Ask the DCO about the missing districts", ""),  # no code
        ReviewerNote("KTL-002", ReviewStatus.PENDING, "", ""),  # nothing typed
    ]
    review = consolidate([microplan("k1.xlsx", "KTL-001")], clusters=CLUSTERS, notes=notes)
    rows = {row.cluster_code: row for row in review.feedback}
    first = rows["KTL-001"]
    assert first.status == "Returned"  # the spelling of the list
    assert first.comment == ("Team list incomplete | Fixed on the phone | (also marked Accepted)"
                             " | (also priority Low)")
    assert first.priority == "High"
    assert rows["XYZ-404"].comment == "Which cluster is this?"
    assert rows["XYZ-404"].microplan == "Not received"
    assert rows[""].comment == "Ask the DCO about the missing districts"
    assert rows["KTL-002"].status == ReviewStatus.PENDING
    assert rows["NHR-002"].status == ReviewStatus.PENDING
    assert rows["NHR-002"].microplan == "Not received"
    assert rows["KTL-001"].microplan == "Valid" and rows["KTL-001"].action_plan == "Missing"


def test_a_note_flags_a_cluster_whose_file_arrived_since():
    notes = [ReviewerNote("KTL-001", "Returned", "Please correct",
                          last_received="2025-03-20T08:00:00Z")]
    resent = microplan("k1_v2.xlsx", "KTL-001", received="2025-03-24T08:00:00Z")
    [row] = [r for r in consolidate([resent], clusters=CLUSTERS, notes=notes).feedback
             if r.cluster_code == "KTL-001"]
    assert row.updated and row.status == "Returned"
    same = microplan("k1.xlsx", "KTL-001", received="2025-03-20T08:00:00Z")
    [row] = [r for r in consolidate([same], clusters=CLUSTERS, notes=notes).feedback
             if r.cluster_code == "KTL-001"]
    assert not row.updated


def test_an_unreadable_file_keeps_its_reason():
    broken = Source("cut.xlsx", "cut.xlsx", "f00", 4000, "2025-03-20T08:00:00Z", findings=[
        Finding(Severity.ERROR, "file-damaged", "The file is damaged.", "cut.xlsx")])
    review = consolidate([broken, microplan("k1.xlsx", "KTL-001")], clusters=CLUSTERS)
    assert [item.outcome for item in review.files] == [
        "Not readable: The file is damaged.", "Merged"]
    assert [(f.rule, s.file) for f, s, _ in review.findings()] == [("file-damaged",
                                                                    "cut.xlsx")]
