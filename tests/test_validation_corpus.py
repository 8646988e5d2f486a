"""The validation corpus: real templates filled by the builder, then the mistakes district
officers make (typed in the cells, or done to the sheets in Excel), each with the exact rule,
cell and message the officer must see."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from clusterbook.excel.cluster_list import load_cluster_list
from clusterbook.jobs.validate import ValidateRequest, validate_paths
from corpus import CLUSTER_CSV, TODAY, action_plan, edit, microplan, write


@pytest.fixture
def clusters(tmp_path):
    path = tmp_path / "clusters.csv"
    path.write_text(CLUSTER_CSV, encoding="utf-8")
    return load_cluster_list(path)


def findings(path: Path, clusters=None, *, final: bool = False) -> list[tuple[str, ...]]:
    result = validate_paths(ValidateRequest([path], clusters, final, TODAY))
    return [(str(f.severity), f.rule, f.sheet, f.cell, f.message) for f in result.findings]


def test_a_correct_microplan_and_action_plan_have_no_findings(tmp_path, clusters):
    assert findings(write(tmp_path, "plan.xlsx", microplan()), clusters, final=True) == []
    assert findings(write(tmp_path, "actions.xlsx", action_plan()), clusters) == []


# (what the officer did, the cell edits as {sheet: {cell: value}}, expected findings)
CELL_MISTAKES = [
    ("households typed as words", {"Identification": {"B8": "about 1400"}},
     [("error", "count", "Identification", "B8", "Number of households must be a whole "
       "number of zero or more; 'about 1400' is not a number.")]),
    ("negative sites", {"Identification": {"B10": -3}},
     [("error", "count", "Identification", "B10", "Number of sites must be a whole number of "
       "zero or more; '-3' is negative.")]),
    ("half a team", {"Identification": {"B11": 2.5}},
     [("error", "count", "Identification", "B11", "Number of teams must be a whole number of "
       "zero or more; '2.5' is not a whole number.")]),
    ("no team at all", {"Identification": {"B11": 0}},
     [("error", "count-minimum", "Identification", "B11",
       "Number of teams is 0; it must be at least 1.")]),
    ("more missed children than children", {"Identification": {"B9": "1,300"}},
     [("error", "missed-above-target", "Identification", "B9", "Missed children (1,300) "
       "exceed the target population (1,200); check both numbers.")]),
    ("households for people", {"Identification": {"B8": 12000}},
     [("warning", "population-per-household", "Identification", "B7", "A target population "
       "of 1,200 for 12,000 households is 0.10 children per household; expected between 0.2 "
       "and 3. Check both numbers.")]),
    ("province left empty", {"Identification": {"B3": None}},
     [("error", "required", "Identification", "B3", "Province is empty; it is required.")]),
    ("campaign dates swapped", {"Identification": {"B13": dt.datetime(2025, 3, 19),
                                                   "B14": dt.datetime(2025, 3, 15)}},
     [("error", "campaign-dates", "Identification", "B14", "The campaign ends (15/03/2025) "
       "before it starts (19/03/2025); check both dates.")]),
    ("unknown cluster code", {"Identification": {"B6": "KTL-999"}},
     [("error", "cluster-unknown", "Identification", "B6", "Cluster code 'KTL-999' is not on "
       "the cluster list (clusters.csv); check the code.")]),
    ("cluster of another district", {"Identification": {"B4": "Nahrin"}},
     [("error", "cluster-district", "Identification", "B4", "Cluster KTL-001 belongs to "
       "Kotal (Northern Hills) on the cluster list, not to district 'Nahrin'.")]),
    ("phone with letters", {"Team": {"C6": "070 12ab 567"}},
     [("error", "phone", "Team", "C6", "Contact '070 12ab 567' is not a phone number: 7 to 15 "
       "digits; +, spaces and dashes are fine (e.g. +93 70 123 4567).")]),
    ("phone too short", {"Team": {"C5": "12345"}},
     [("error", "phone", "Team", "C5", "Contact '12345' is not a phone number: 7 to 15 "
       "digits; +, spaces and dashes are fine (e.g. +93 70 123 4567).")]),
    ("role not in the list", {"Team": {"B8": "Supervisor"}},
     [("error", "choice", "Team", "B8", "Role 'Supervisor' is not in the list; choose one "
       "of: PCO, PC, DCO, DC, CS, SM, Volunteer vaccinator, Cluster enabler, Team enabler, "
       "CIP, UNICEF, WHO, Other.")]),
    ("a member without a contact", {"Team": {"C8": None}},
     [("error", "required", "Team", "C8", "Contact is empty; every filled row needs it. 7 to "
       "15 digits; +, spaces and dashes are fine (e.g. +93 70 123 4567).")]),
    ("timeline in words", {"Issues": {"D6": "next week"}},
     [("error", "date", "Issues", "D6", "Timeline (date) 'next week' is not a date; type the "
       "date as day/month/year, e.g. 15/03/2025.")]),
    ("activity long before the campaign", {"Activities": {"B5": dt.datetime(2025, 1, 20)}},
     [("error", "date-window", "Activities", "B5", "Date 20/01/2025 is outside the campaign "
       "window: social mobilization activities take place from 13/02/2025 (30 days before "
       "the start, 15/03/2025) to the campaign end, 19/03/2025.")]),
    ("supervision after the campaign", {"Supervision": {"C5": dt.datetime(2025, 3, 22)}},
     [("error", "date-window", "Supervision", "C5", "Supervision date 22/03/2025 is outside "
       "the campaign window: supervision visits take place from 13/02/2025 (30 days before "
       "the start, 15/03/2025) to the campaign end, 19/03/2025.")]),
    ("review meeting on the last day", {"Review": {"C5": dt.datetime(2025, 3, 19)}},
     [("error", "review-date", "Review", "C5", "Date 19/03/2025 is not after the campaign "
       "end (19/03/2025); the review meeting comes after the campaign.")]),
    ("year typed wrong", {"Activities": {"B6": dt.datetime(2205, 3, 15)}},
     [("error", "date-implausible", "Activities", "B6",
       "Date 15/03/2205 lies far in the future; check the year.")]),
    ("timing does not match the date", {"Activities": {"G6": "After the campaign"}},
     [("warning", "timing-mismatch", "Activities", "G6", "Timing says 'After the campaign', "
       "but the date 15/03/2025 is during the campaign (15/03/2025 to 19/03/2025).")]),
    ("responsible person not in the team", {"Activities": {"F7": "Dr. Someone Else"}},
     [("warning", "responsible-not-in-team", "Activities", "F7", "Responsible person "
       "'Dr. Someone Else' is not a member of the team in section 2 ('Team'); add them to the "
       "team or name a member.")]),
    ("the same activity twice", {"Activities": {
        "A8": "Mosque announcement", "B8": dt.datetime(2025, 3, 15), "C8": "Main mosque",
        "D8": "Whole community", "E8": "Vaccination days", "F8": "عائشہ بی بی",
        "G8": "During the campaign", "H8": "Megaphone"}},
     [("warning", "duplicate-row", "Activities", "A8", "This row repeats row 6 of "
       "'5. Social mobilization activities' exactly; delete one of them.")]),
    ("final but the DC did not date it", {"Sign-off": {"B6": None}},
     [("error", "sign-off-incomplete", "Sign-off", "B6", "DC date is empty; a submission "
       "marked 'Final' needs every sign-off name and date.")]),
    ("settlement count as text with spaces and thousands", {"Mapping": {"B5": " 1,234 "}}, []),
    ("role typed in lower case", {"Team": {"B6": "cs"}}, []),
]


@pytest.mark.parametrize("edits, expected", [case[1:] for case in CELL_MISTAKES],
                         ids=[case[0] for case in CELL_MISTAKES])
def test_cell_mistakes(tmp_path, clusters, edits, expected):
    path = write(tmp_path, "Kotal_KTL-001.xlsx", microplan())

    def change(book):
        for sheet, cells in edits.items():
            for ref, value in cells.items():
                book[sheet][ref].value = value

    edit(path, change)
    assert findings(path, clusters) == expected


def test_cells_cleared_with_the_space_bar(tmp_path, clusters):
    # Excel keeps the spaces (xml:space="preserve"), as the builder writes them.
    data = microplan()
    data.records["identification"]["cluster_name"] = "   "
    data.tables["mapping"].append({"settlement_type": "  ", "number": None})
    path = write(tmp_path, "plan.xlsx", data)
    assert findings(path, clusters) == [
        ("error", "only-spaces", "Identification", "B5",
         "Cluster name holds only spaces; type the value or clear the cell."),
        ("error", "only-spaces", "Mapping", "A7",
         "Type of settlement holds only spaces; type the value or clear the cell."),
    ]


def test_team_emptied(tmp_path, clusters):
    data = microplan()
    data.tables["team"] = []
    data.tables["issues"] = []
    data.tables["activities"] = data.tables["activities"][2:]
    data.tables["activities"][0]["responsible"] = "Ahmad Shah Noori"
    path = write(tmp_path, "plan.xlsx", data)
    assert findings(path, clusters) == [
        ("warning", "missed-without-issue", "Identification", "B9", "85 children were missed "
         "in the last round, but section 4 lists no issue; say why and what will be done."),
        ("error", "team-empty", "Team", "A5", "The community engagement team (section 2) has "
         "no member; list at least one person with their role and contact."),
        ("error", "issues-missing", "Issues", "A5", "Cluster KTL-001 is on the low-performing "
         "list, but section 4 lists no issue; describe its key issues, the mitigation, who is "
         "responsible and by when."),
    ]


def test_a_draft_checked_as_final_needs_the_whole_sign_off(tmp_path, clusters):
    data = microplan()
    data.records["sign_off"] = {"dco_name": "Ahmad Shah Noori", "status": "Draft"}
    path = write(tmp_path, "plan.xlsx", data)
    assert findings(path, clusters) == []
    assert [(rule, cell) for _, rule, _, cell, _ in findings(path, clusters, final=True)] == [
        ("sign-off-incomplete", "B4"), ("sign-off-incomplete", "B5"),
        ("sign-off-incomplete", "B6"), ("sign-off-incomplete", "B7"),
        ("sign-off-incomplete", "B8")]


def test_without_a_cluster_list_no_list_rule_applies(tmp_path):
    data = microplan(code="XYZ-404")
    data.tables["issues"] = [data.tables["issues"][0]]
    path = write(tmp_path, "plan.xlsx", data)
    assert findings(path) == []


# --- what users do to the sheets ---------------------------------------------------------------

def test_rows_inserted_above_a_table_and_in_a_record_move_the_cells(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        team = book["Team"]
        team.insert_rows(3, 2)  # two notes rows above the header: header now row 6
        team["A3"] = "Our notes"
        team["C9"] = "call DCO"  # the third member's contact (was C7)
        ident = book["Identification"]
        ident.insert_rows(6)  # a row between District... and Cluster code
        ident["A6"] = "Union council"
        ident["B6"] = "UC 4"
        ident["B9"] = -1  # households, moved from B8

    edit(path, change)
    assert findings(path, clusters) == [
        ("error", "count", "Identification", "B9", "Number of households must be a whole "
         "number of zero or more; '-1' is negative."),
        ("error", "phone", "Team", "C9", "Contact 'call DCO' is not a phone number: 7 to 15 "
         "digits; +, spaces and dashes are fine (e.g. +93 70 123 4567)."),
    ]


def test_rows_deleted_inside_a_table(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        book["Team"].delete_rows(6)  # the CS (a supervisor and responsible) is gone
        book["Team"]["B6"] = "Nurse"

    edit(path, change)
    rules = [(rule, sheet, cell) for _, rule, sheet, cell, _ in findings(path, clusters)]
    assert rules == [("choice", "Team", "B6"),
                     ("responsible-not-in-team", "Issues", "C6"),
                     ("responsible-not-in-team", "Activities", "F7")]


def test_renamed_header_is_read_by_its_place(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        book["Team"]["C4"] = "Phone no."
        book["Team"]["C5"] = "x"

    edit(path, change)
    assert findings(path, clusters) == [
        ("warning", "header-renamed", "Team", "C4", "This header reads 'Phone no.'; its values "
         "were read as 'Contact' by their place in the form. Keep the template's headers."),
        ("error", "phone", "Team", "C5", "Contact 'x' is not a phone number: 7 to 15 digits; "
         "+, spaces and dashes are fine (e.g. +93 70 123 4567)."),
    ]


def test_alias_headers_and_moved_columns_are_read_silently(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        team = book["Team"]
        team["C4"] = "Mobile"  # an alias of Contact
        team.insert_cols(2)  # a blank column before Role: Role is now C
        team["B4"] = None
        issues = book["Issues"]
        issues["D4"] = "Deadline"

    edit(path, change)
    assert findings(path, clusters) == []


def test_deleted_column(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())
    edit(path, lambda book: book["Team"].delete_cols(3))
    assert findings(path, clusters) == [
        ("error", "column-missing", "Team", "C4", "The column 'Contact' of section '2. "
         "Community engagement team' is missing; it is required. Restore the template's "
         "layout."),
    ]


def test_extra_column_with_values(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        book["Team"]["F4"] = "Remarks"
        book["Team"]["F6"] = "on leave in week 2"

    edit(path, change)
    assert findings(path, clusters) == [
        ("warning", "column-extra", "Team", "F4", "The column 'Remarks' is not part of section "
         "'2. Community engagement team'; its values are not read."),
    ]


def test_merged_cells_repeat_their_value(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        sheet = book["Activities"]
        sheet["F5"] = "Ahmad Shah Noori"
        sheet.merge_cells("F5:F7")

    edit(path, change)
    assert findings(path, clusters) == [
        ("warning", "merged-cells", "Activities", "F5:F7", "Cells F5:F7 are merged; 'Ahmad "
         "Shah Noori' was read for each of their rows. Unmerge them and type each value."),
    ]


def test_extra_sheets_are_left_alone_and_a_renamed_sheet_is_found(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())

    def change(book):
        book.create_sheet("Notes")["A1"] = "Call the DC on Monday"
        book["Mapping"].title = "Community map"
        book["Community map"]["B6"] = "several"

    edit(path, change)
    assert findings(path, clusters) == [
        ("warning", "sheet-renamed", "Community map", "A1", "The sheet 'Community map' was "
         "read as 'Mapping' (its title says so); keep the template's sheet names."),
        ("error", "count", "Community map", "B6", "Number must be a whole number of zero or "
         "more; 'several' is not a number."),
    ]


def test_deleted_sheet(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())
    edit(path, lambda book: book.remove(book["Supervision"]))
    assert findings(path, clusters) == [
        ("error", "sheet-missing", "Supervision", "", "The sheet 'Supervision' is missing, so "
         "section '6. Supervision plan' cannot be checked; keep the template's sheets and "
         "their names."),
    ]


def test_template_mark_lost_when_sheets_were_copied_to_a_new_book(tmp_path, clusters):
    path = write(tmp_path, "plan.xlsx", microplan())
    edit(path, lambda book: book.remove(book["_clusterbook"]))
    assert findings(path, clusters) == [
        ("warning", "form-mark-missing", "", "", "The workbook has no template mark; it was "
         "read as the Community Engagement, Advocacy and Social Mobilization Cluster Microplan "
         "because it has that form's sheets. Fill the template as it was sent."),
    ]


def test_several_microplans_in_one_workbook(tmp_path, clusters):
    second = microplan(code="KTL-002", name="Kotal Payan 2")
    second.tables["team"][1]["contact"] = "ask the DCO"
    third = microplan(code="KTL-001")
    path = write(tmp_path, "Kotal.xlsx", [microplan(), second, third])
    result = validate_paths(ValidateRequest([path], clusters, today=TODAY))
    assert len(result.files[0].submission.documents) == 3
    assert [(f.rule, f.sheet, f.cell, f.message) for f in result.findings] == [
        ("phone", "Team (2)", "C6", "Contact 'ask the DCO' is not a phone number: 7 to 15 "
         "digits; +, spaces and dashes are fine (e.g. +93 70 123 4567)."),
        ("cluster-twice", "Identification (3)", "B6", "Cluster KTL-001 has a microplan on "
         "sheet 'Identification' already; send one microplan per cluster."),
    ]


def test_urdu_pashto_and_dari_text_is_kept_exactly(tmp_path):
    from clusterbook.excel.forms_reader import read_submission

    path = write(tmp_path, "plan.xlsx", microplan())
    document = read_submission(path).documents[0]
    assert document.tables["team"].values("name") == [
        "Ahmad Shah Noori", "زرغونه صافی", "عائشہ بی بی", "فریده احمدی"]
    assert document.value("sign_off", "cs_name") == "زرغونه صافی"
    frames = read_submission(path).frames()
    assert frames["team"].loc[2, ["file", "sheet", "row", "name"]].tolist() == [
        "plan.xlsx", "Team", 7, "عائشہ بی بی"]
    assert frames["identification"].loc[0, "campaign_start"] == dt.date(2025, 3, 15)


# --- action plans ---------------------------------------------------------------------------------

ACTION_MISTAKES = [
    ("strategy typed as both", {"B10": "Both"},
     [("error", "choice", "Action plan", "B10", "Strategy (Pull / Push) 'Both' is not in the "
       "list; choose one of: Pull, Push."),
      ("warning", "strategy-missing", "Action plan", "B10", "Cluster KTL-001 has Push "
       "actions but no Pull action; plan both (Pull: demand, Push: supply).")]),
    ("cluster not on the low-performing list", {"A12": "KTL-002", "A13": "KTL-002"},
     [("warning", "action-not-listed", "Action plan", "A12", "Cluster KTL-002 is not on the "
       "low-performing list; actions are planned for listed clusters."),
      ("warning", "action-not-listed", "Action plan", "A13", "Cluster KTL-002 is not on the "
       "low-performing list; actions are planned for listed clusters."),
      ("warning", "action-missing", "Action plan", "A10", "Cluster KTL-003 (Kotal Deh 3) is "
       "on the low-performing list but has no action in this plan.")]),
    ("cluster of another district", {"A13": "NHR-001"},
     [("warning", "strategy-missing", "Action plan", "B12", "Cluster KTL-003 has Pull "
       "actions but no Push action; plan both (Pull: demand, Push: supply)."),
      ("warning", "strategy-missing", "Action plan", "B13", "Cluster NHR-001 has Push actions "
       "but no Pull action; plan both (Pull: demand, Push: supply)."),
      ("error", "cluster-district", "Action plan", "A13", "Cluster NHR-001 belongs to Nahrin "
       "(River Plain) on the cluster list, not to this plan's district 'Kotal'.")]),
    ("deadline passed but still planned", {"F11": dt.datetime(2025, 2, 25)},
     [("warning", "deadline-passed", "Action plan", "F11", "This action is still 'Planned' "
       "but its deadline, 25/02/2025, has passed; update its status or set a new "
       "deadline.")]),
    ("status typed freely", {"H10": "ongoing"},
     [("error", "choice", "Action plan", "H10", "Status 'ongoing' is not in the list; choose "
       "one of: Planned, In progress, Done, Dropped.")]),
]


@pytest.mark.parametrize("edits, expected", [case[1:] for case in ACTION_MISTAKES],
                         ids=[case[0] for case in ACTION_MISTAKES])
def test_action_plan_mistakes(tmp_path, clusters, edits, expected):
    path = write(tmp_path, "Kotal_actions.xlsx", action_plan())

    def change(book):
        for ref, value in edits.items():
            book["Action plan"][ref].value = value

    edit(path, change)
    assert sorted(findings(path, clusters), key=lambda f: (f[3][1:], f[3][0], f[1])) == sorted(
        expected, key=lambda f: (f[3][1:], f[3][0], f[1]))
