"""Filled forms for the validation tests, written with the real template builder, and the
edits people make to them in Excel (done with openpyxl on the written file)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import openpyxl

from clusterbook.forms import ACTION_PLAN, MICROPLAN, FormData
from clusterbook.templates import write_form

START, END = dt.date(2025, 3, 15), dt.date(2025, 3, 19)
#: 'Today' for the checks, so that deadlines and far dates do not depend on the calendar.
TODAY = dt.date(2025, 3, 1)

CLUSTER_CSV = """Province,District,Cluster code,Cluster name,Low performing
Northern Hills,Kotal,KTL-001,Kotal Bala 1,yes
Northern Hills,Kotal,KTL-002,Kotal Payan 2,no
Northern Hills,Kotal,KTL-003,Kotal Deh 3,yes
River Plain,Nahrin,NHR-001,Nahrin Qala 1,yes
"""


def microplan(code: str = "KTL-001", name: str = "Kotal Bala 1") -> FormData:
    """A correct microplan for cluster KTL-001 (on the low-performing list of CLUSTER_CSV)."""
    return FormData(MICROPLAN, records={
        "identification": {
            "province": "Northern Hills", "district": "Kotal", "cluster_name": name,
            "cluster_code": code, "target_population": 1200, "households": 900,
            "missed_children": 85, "sites": 2, "teams": 4, "campaign": "March 2025 NID",
            "campaign_start": START, "campaign_end": END},
        "sign_off": {"dco_name": "Ahmad Shah Noori", "dco_date": dt.date(2025, 3, 25),
                     "dc_name": "Dr. Laila Haidari", "dc_date": dt.date(2025, 3, 25),
                     "cs_name": "زرغونه صافی", "cs_date": dt.date(2025, 3, 26),
                     "status": "Final"},
    }, tables={
        "team": [
            {"name": "Ahmad Shah Noori", "role": "DCO", "contact": "+93 70 123 4567",
             "languages": "Pashto, Dari", "assigned_team": "All teams"},
            {"name": "زرغونه صافی", "role": "CS", "contact": "0799 123 456",
             "languages": "Pashto", "assigned_team": "Team 1"},
            {"name": "عائشہ بی بی", "role": "SM", "contact": "+92 300 1234567",
             "languages": "Urdu, Pashto", "assigned_team": "Team 2"},
            {"name": "فریده احمدی", "role": "Volunteer vaccinator", "contact": "0093-70-7654321",
             "languages": "Dari", "assigned_team": "Team 3"},
        ],
        "mapping": [
            {"settlement_type": "Village", "number": 6, "key_influencers": "Village elder",
             "risk_factors": "Refusals in a few households"},
            {"settlement_type": "Nomadic settlement", "number": 2,
             "key_influencers": "Tribal elder", "risk_factors": ""},
        ],
        "issues": [
            {"challenge": "Refusals over vaccine safety rumours",
             "mitigation": "Home visits by the imam with the DCO",
             "responsible": "Ahmad Shah Noori", "timeline": dt.date(2025, 3, 10)},
            {"challenge": "Missed children in compounds not visited",
             "mitigation": "Revisit plan", "responsible": "زرغونه صافی",
             "timeline": dt.date(2025, 3, 12)},
        ],
        "activities": [
            {"activity": "Meeting with religious leaders", "date": dt.date(2025, 3, 1),
             "location": "Main mosque", "target_audience": "Imams and elders",
             "key_message": "Vaccines are safe", "responsible": "Ahmad Shah Noori",
             "timing": "Before the campaign", "materials": "Leaflets"},
            {"activity": "Mosque announcement", "date": dt.date(2025, 3, 15),
             "location": "Main mosque", "target_audience": "Whole community",
             "key_message": "Vaccination days", "responsible": "عائشہ بی بی",
             "timing": "During the campaign", "materials": "Megaphone"},
            {"activity": "Household visits to refusal families", "date": dt.date(2025, 3, 17),
             "location": "Bala", "target_audience": "Refusing parents",
             "key_message": "Polio paralyses", "responsible": "SM",
             "timing": "During the campaign", "materials": ""},
        ],
        "supervision": [
            {"supervisor": "زرغونه صافی", "areas": "Team 1 and 2 routes",
             "date": dt.date(2025, 3, 16), "timing": "During the campaign"},
        ],
        "review": [
            {"participant": "Ahmad Shah Noori", "title": "DCO", "date": dt.date(2025, 3, 24),
             "location": "District health office", "responsible": "Ahmad Shah Noori",
             "outcome": "Revisit plan agreed"},
        ],
    })


def action_plan() -> FormData:
    """A correct action plan for Kotal: both listed clusters, Pull and Push each."""
    actions = []
    for code in ("KTL-001", "KTL-003"):
        for strategy, action in (("Pull", "Home visits with the imam"),
                                 ("Push", "Add a female vaccinator")):
            actions.append({"cluster_code": code, "strategy": strategy,
                            "bottleneck": "Refusals", "corrective_action": action,
                            "responsible": "Ahmad Shah Noori",
                            "deadline": dt.date(2025, 3, 10), "supervisor": "DCO",
                            "status": "Planned", "follow_up": ""})
    return FormData(ACTION_PLAN, records={"details": {
        "province": "Northern Hills", "district": "Kotal", "prepared_by": "Ahmad Shah Noori",
        "prepared_on": dt.date(2025, 2, 20)}}, tables={"actions": actions})


def write(folder: Path, name: str, data: FormData | list[FormData]) -> Path:
    """Write a filled form with the template builder."""
    first = data[0] if isinstance(data, list) else data
    return write_form(folder / name, first.form, data)


def edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    """Change a written workbook as a user would in Excel, and save it in place."""
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)
    return path
