"""The microplan's rules across fields, sheets and the cluster list: campaign window, counts,
responsible people, the low-performing list, sign-off, one microplan per cluster."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Final

from clusterbook.domain.checks.common import (
    CheckContext,
    Found,
    duplicate_rows,
    person_key,
    record_value,
    table_column,
)
from clusterbook.domain.clusterlist import ClusterInfo, code_key, place_key
from clusterbook.domain.findings import Finding
from clusterbook.domain.rule_registry import ERROR, RuleId
from clusterbook.domain.submission import Document, Table
from clusterbook.domain.typed_values import day_text, plausible_dates, value_text
from clusterbook.domain.values import is_blank, is_only_spaces
from clusterbook.forms import MICROPLAN

#: Activities and supervision start at most this many days before the campaign.
DAYS_BEFORE_CAMPAIGN: Final = 30
PER_HOUSEHOLD: Final = (0.2, 3.0)
_NAME_PARTS: Final = re.compile(r"\s*(?:[,;/&+]|\band\b)\s*", re.IGNORECASE)


def check_microplan(document: Document, context: CheckContext) -> list[Finding]:
    """The findings of one microplan's rules across fields, sheets and the cluster list."""
    found = Found(document)
    start, _, _ = record_value(document, "identification", "campaign_start")
    end, end_cell, ident_sheet = record_value(document, "identification", "campaign_end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        found.add(RuleId.CAMPAIGN_DATES, f"The campaign ends ({day_text(end)}) before it starts "
                                         f"({day_text(start)}); check both dates.",
                  ident_sheet, end_cell, end)
        start = end = None
    window = (start, end) if isinstance(start, dt.date) and isinstance(end, dt.date) else None
    _counts(found, document)
    tables = document.tables
    if window is not None:
        for key in ("activities", "supervision"):
            if key in tables:
                _dates_in_window(found, tables[key], window, context.today)
        if "review" in tables:
            _review_dates(found, tables["review"], window[1])
    team = tables.get("team")
    if team is not None and team.empty:
        found.add(RuleId.TEAM_EMPTY,
                  "The community engagement team (section 2) has no member; list "
                  "at least one person with their role and contact.",
                  team.sheet, team.first_cell)
    if team is not None and not team.empty:
        _responsible_people(found, document, team)
    _issues(found, document, context)
    _cluster_on_list(found, document, context)
    _sign_off(found, document, context)
    for table in tables.values():
        duplicate_rows(found, table)
    return found.items


def _counts(found: Found, document: Document) -> None:
    target, target_cell, sheet = record_value(document, "identification", "target_population")
    households, _, _ = record_value(document, "identification", "households")
    missed, missed_cell, _ = record_value(document, "identification", "missed_children")
    if isinstance(missed, int) and isinstance(target, int) and missed > target:
        found.add(RuleId.MISSED_ABOVE_TARGET, f"Missed children ({missed:,}) exceed the target "
                                              f"population ({target:,}); check both numbers.",
                  sheet, missed_cell, missed)
    if isinstance(target, int) and isinstance(households, int) and target > 0:
        low, high = PER_HOUSEHOLD
        if households == 0 or not low <= target / households <= high:
            ratio = "no households" if households == 0 else \
                f"{target / households:.2f} children per household"
            found.add(RuleId.POPULATION_PER_HOUSEHOLD,
                      f"A target population of {target:,} for {households:,} households is "
                      f"{ratio}; expected between {low:g} and {high:g}. Check both numbers.",
                      sheet, target_cell, target)


#: What the dated rows of a section are, in a sentence.
_WINDOW_NOUNS: Final = {"activities": "social mobilization activities",
                        "supervision": "supervision visits"}


def _dates_in_window(found: Found, table: Table, window: tuple[dt.date, dt.date],
                     today: dt.date) -> None:
    start, end = window
    first = start - dt.timedelta(days=DAYS_BEFORE_CAMPAIGN)
    label = next(f.label for f in table.section.fields if f.key == "date")
    timings = {row: value for row, value, _ in table_column(table, "timing")}
    plausible_first, plausible_last = plausible_dates(today)
    for row, day, raw in table_column(table, "date"):
        if not isinstance(day, dt.date) or not plausible_first <= day <= plausible_last:
            continue  # not a date, or a mistyped year: reported by the value rules
        if not first <= day <= end:
            found.add(RuleId.DATE_WINDOW,
                      f"{label} {day_text(day)} is outside the campaign window: "
                      f"{_WINDOW_NOUNS.get(table.section.key, 'these dates')} take place "
                      f"from {day_text(first)} "
                      f"(30 days before the start, {day_text(start)}) to the campaign end, "
                      f"{day_text(end)}.", table.sheet, table.cell("date", row), raw)
            continue
        timing = timings.get(row)
        if isinstance(timing, str):
            _timing(found, table, row, timing, day, window)


def _timing(found: Found, table: Table, row: int, timing: str, day: dt.date,
            window: tuple[dt.date, dt.date]) -> None:
    start, end = window
    actual = ("Before the campaign" if day < start else
              "After the campaign" if day > end else "During the campaign")
    if timing != actual:
        found.add(RuleId.TIMING_MISMATCH,
                  f"Timing says '{timing}', but the date {day_text(day)} is "
                  f"{actual.lower()} ({day_text(start)} to {day_text(end)}).",
                  table.sheet, table.cell("timing", row), timing)


def _review_dates(found: Found, table: Table, end: dt.date) -> None:
    label = next(f.label for f in table.section.fields if f.key == "date")
    for row, day, raw in table_column(table, "date"):
        if isinstance(day, dt.date) and day <= end:
            found.add(RuleId.REVIEW_DATE, f"{label} {day_text(day)} is not after the campaign end "
                                          f"({day_text(end)}); the review meeting comes after the "
                                          f"campaign.", table.sheet, table.cell("date", row), raw)


def _members(team: Table) -> set[str]:
    """Team members by name and by role, for matching 'Responsible' cells."""
    people = {person_key(name) for _, name, _ in table_column(team, "name") if name}
    roles = {person_key(role) for _, role, _ in table_column(team, "role") if role}
    return (people | roles) - {""}


def _responsible_people(found: Found, document: Document, team: Table) -> None:
    members = _members(team)
    team_section = team.section.number
    for key in ("issues", "activities", "review"):
        table = document.tables.get(key)
        if table is None:
            continue
        item = next(f for f in table.section.fields if f.key == "responsible")
        for row, person, raw in table_column(table, "responsible"):
            if not isinstance(person, str) or not person:
                continue
            names = [part for part in _NAME_PARTS.split(person) if part.strip()]
            if all(person_key(name) in members for name in names):
                continue
            found.add(RuleId.RESPONSIBLE_NOT_IN_TEAM,
                      f"{item.label} '{person}' is not a member of the team in section "
                      f"{team_section} ('{team.sheet}'); add them to the team or name a member.",
                      table.sheet, table.cell("responsible", row), raw)


def _issues(found: Found, document: Document, context: CheckContext) -> None:
    issues = document.tables.get("issues")
    if issues is None or not issues.empty:
        return
    code, _, _ = record_value(document, "identification", "cluster_code")
    info = context.clusters.get(code) if context.clusters is not None and code else None
    if info is not None and info.low_performing and context.clusters is not None \
            and context.clusters.knows_status:
        found.add(RuleId.ISSUES_MISSING, f"Cluster {info.code} is on the low-performing list, but "
                                         f"section 4 lists no issue; describe its key issues, the "
                                         f"mitigation, who is responsible and by when.",
                  issues.sheet, issues.first_cell)
    missed, missed_cell, sheet = record_value(document, "identification", "missed_children")
    if isinstance(missed, int) and missed > 0:
        found.add(RuleId.MISSED_WITHOUT_ISSUE,
                  f"{missed:,} children were missed in the last round, "
                  f"but section 4 lists no issue; say why and what "
                  f"will be done.", sheet, missed_cell, missed)


def _cluster_on_list(found: Found, document: Document, context: CheckContext) -> None:
    if context.clusters is None:
        return
    code, code_cell, sheet = record_value(document, "identification", "cluster_code")
    if not code:
        return
    info = context.clusters.get(code)
    if info is None:
        found.add(RuleId.CLUSTER_UNKNOWN,
                  f"Cluster code '{code}' is not on the cluster list "
                  f"({context.clusters.source or 'given'}); check the code.",
                  sheet, code_cell, code)
        return
    _same_place(found, document, info, "identification", sheet)
    name, name_cell, _ = record_value(document, "identification", "cluster_name")
    if name and info.name and place_key(name) != place_key(info.name):
        found.add(RuleId.CLUSTER_NAME,
                  f"Cluster {info.code} is called '{info.name}' on the cluster "
                  f"list, not '{name}'.", sheet, name_cell, name)


def _same_place(found: Found, document: Document, info: ClusterInfo, section: str,
                sheet: str, *, cell: str = "", code_text: str = "") -> None:
    """Report a cluster whose district or province differs from the list's."""
    for key, expected in (("district", info.district), ("province", info.province)):
        typed, typed_cell, _ = record_value(document, section, key)
        if not typed or not expected or place_key(typed) == place_key(expected):
            continue
        where = f"{info.district} ({info.province})"
        found.add(RuleId.CLUSTER_DISTRICT, f"Cluster {info.code} belongs to {where} on the cluster "
                                           f"list, not to {key} '{typed}'.",
                  sheet, cell or typed_cell, code_text or typed)
        return


def _sign_off(found: Found, document: Document, context: CheckContext) -> None:
    record = document.records.get("sign_off")
    if record is None:
        return
    status, _, _ = record_value(document, "sign_off", "status")
    if not (context.final or status == "Final"):
        return
    why = "marked 'Final'" if status == "Final" else "checked as final"
    for item in record.section.fields:
        if item.key == "status" or not record.cell(item.key):
            continue
        if is_blank(record.values.get(item.key)) or is_only_spaces(record.values.get(item.key)):
            found.add(RuleId.SIGN_OFF_INCOMPLETE,
                      f"{item.label} is empty; a submission {why} needs "
                      f"every sign-off name and date.",
                      record.sheet, record.cell(item.key))


def clusters_twice(documents: Sequence[Document]) -> list[Finding]:
    """Two microplans of one workbook for the same cluster."""
    findings = []
    first_seen: dict[tuple[str, str], Document] = {}
    for document in documents:
        if document.form is not MICROPLAN:
            continue
        code, cell, sheet = record_value(document, "identification", "cluster_code")
        if not code:
            continue
        key = (document.file, code_key(code))
        earlier = first_seen.setdefault(key, document)
        if earlier is document:
            continue
        findings.append(Finding(ERROR, RuleId.CLUSTER_TWICE,
                                f"Cluster {code} has a microplan on sheet "
                                f"'{earlier.sheet_of('identification')}' already; send one "
                                f"microplan per cluster.", document.file, sheet, cell,
                                value_text(code)))
    return findings
