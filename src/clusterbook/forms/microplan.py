"""The Community Engagement, Advocacy and Social Mobilization (CE&SM) cluster microplan.

Seven sections and a sign-off, one sheet each, as in ``microplan.md``. One workbook per cluster;
a district may send one workbook holding several cluster microplans, each a copy of the sheets
(Excel names copies "Team (2)", "Team (3)", ...).
"""

from __future__ import annotations

from typing import Final

from clusterbook.forms.schema import Field, Form, Kind, RecordSection, TableSection

ROLES: Final = ("PCO", "PC", "DCO", "DC", "CS", "SM", "Volunteer vaccinator", "Cluster enabler",
                "Team enabler", "CIP", "UNICEF", "WHO", "Other")
SETTLEMENT_TYPES: Final = ("Village", "Town or urban area", "Nomadic settlement", "IDP camp",
                           "Refugee camp", "Returnee area", "Mosque or madrasa",
                           "Border crossing", "Transit point", "Other")
TIMINGS: Final = ("Before the campaign", "During the campaign", "After the campaign")
SUBMISSION_STATUSES: Final = ("Draft", "Final")

PHONE_HELP: Final = "7 to 15 digits; +, spaces and dashes are fine (e.g. +93 70 123 4567)."

IDENTIFICATION = RecordSection(
    key="identification", number=1, title="1. Cluster identification", sheet="Identification",
    fields=(
        Field("province", "Province", required=True, width=28),
        Field("district", "District", required=True),
        Field("cluster_name", "Cluster name", required=True),
        Field("cluster_code", "Cluster code", required=True,
              help="The code from the cluster list, e.g. KTL-012."),
        Field("target_population", "Target population (0-59 months)", Kind.COUNT, required=True,
              help="Children aged 0 to 59 months: a whole number."),
        Field("households", "Number of households", Kind.COUNT, required=True),
        Field("missed_children", "Number of missed children (last round)", Kind.COUNT,
              required=True, help="From the last round's data; 0 if none were missed."),
        Field("sites", "Number of sites", Kind.COUNT, required=True, minimum=1),
        Field("teams", "Number of teams", Kind.COUNT, required=True, minimum=1),
        Field("campaign", "Campaign (round) name", required=True,
              help="As the campaign is called, e.g. 'March 2025 NID'."),
        Field("campaign_start", "Campaign start date", Kind.DATE, required=True),
        Field("campaign_end", "Campaign end date", Kind.DATE, required=True,
              help="On or after the start date."),
    ),
)

TEAM = TableSection(
    key="team", number=2, title="2. Community engagement team", sheet="Team",
    fields=(
        Field("name", "Name", required=True, width=24),
        Field("role", "Role", Kind.CHOICE, required=True, choices=ROLES, width=18,
              help="Pick a role from the list."),
        Field("contact", "Contact", Kind.PHONE, required=True, help=PHONE_HELP,
              aliases=("Phone", "Contact number", "Mobile")),
        Field("languages", "Language(s) spoken", width=20, aliases=("Languages",)),
        Field("assigned_team", "Assigned team", width=16),
    ),
)

MAPPING = TableSection(
    key="mapping", number=3, title="3. Community mapping", sheet="Mapping", rows=20,
    fields=(
        Field("settlement_type", "Type of settlement", Kind.CHOICE, required=True,
              choices=SETTLEMENT_TYPES, width=22),
        Field("number", "Number", Kind.COUNT, required=True, width=10),
        Field("key_influencers", "Key influencers", width=30),
        Field("risk_factors", "Risk factors (e.g. refusals, insecurity)", width=34,
              aliases=("Risk factors",)),
    ),
)

ISSUES = TableSection(
    key="issues", number=4, title="4. Key behavioral and operational issues", sheet="Issues",
    rows=20,
    fields=(
        Field("challenge", "Identified challenge", required=True, width=34),
        Field("mitigation", "Mitigation measure", required=True, width=34),
        Field("responsible", "Responsible", required=True, width=20,
              help="A member of the team (section 2)."),
        Field("timeline", "Timeline (date)", Kind.DATE, required=True, width=14,
              aliases=("Timeline", "Deadline")),
    ),
)

ACTIVITIES = TableSection(
    key="activities", number=5, title="5. Social mobilization activities", sheet="Activities",
    fields=(
        Field("activity", "Activity", required=True, width=26),
        Field("date", "Date", Kind.DATE, required=True, width=12,
              help="From 30 days before the campaign start to its end."),
        Field("location", "Location", width=18),
        Field("target_audience", "Target audience", width=18),
        Field("key_message", "Key message", width=28),
        Field("responsible", "Responsible person", required=True, width=20,
              aliases=("Responsible",)),
        Field("timing", "Timing", Kind.CHOICE, choices=TIMINGS, width=18),
        Field("materials", "Materials needed", width=20),
    ),
)

SUPERVISION = TableSection(
    key="supervision", number=6, title="6. Supervision plan", sheet="Supervision", rows=20,
    fields=(
        Field("supervisor", "Supervisor name", required=True, width=24),
        Field("areas", "Areas and team to cover", required=True, width=30),
        Field("date", "Supervision date", Kind.DATE, required=True, width=14,
              help="From 30 days before the campaign start to its end."),
        Field("timing", "Timing", Kind.CHOICE, choices=TIMINGS, width=18),
    ),
)

REVIEW = TableSection(
    key="review", number=7, title="7. Post-campaign review meeting and IBRA planning",
    sheet="Review", rows=20,
    fields=(
        Field("participant", "Participant name", required=True, width=24),
        Field("title", "Participant title", width=18),
        Field("date", "Date", Kind.DATE, required=True, width=12,
              help="After the campaign end date."),
        Field("location", "Location", width=18),
        Field("responsible", "Responsible", width=20),
        Field("outcome", "Key outcome", width=34),
    ),
)

SIGN_OFF = RecordSection(
    key="sign_off", title="Sign-off", sheet="Sign-off",
    fields=(
        Field("dco_name", "DCO name"),
        Field("dco_date", "DCO date", Kind.DATE),
        Field("dc_name", "DC name"),
        Field("dc_date", "DC date", Kind.DATE),
        Field("cs_name", "Cluster Supervisor name"),
        Field("cs_date", "Cluster Supervisor date", Kind.DATE),
        Field("status", "Submission status", Kind.CHOICE, choices=SUBMISSION_STATUSES,
              help="Choose Final when the plan is signed and ready to send."),
    ),
)

MICROPLAN = Form(
    form_id="cesm-microplan",
    version="2025.1",
    title="Community Engagement, Advocacy and Social Mobilization Cluster Microplan",
    sections=(IDENTIFICATION, TEAM, MAPPING, ISSUES, ACTIVITIES, SUPERVISION, REVIEW, SIGN_OFF),
    live_check="MICROPLAN_CHECK",
    cluster_field=("identification", "cluster_code"),
    dated_by=(("sign_off", "dco_date"), ("sign_off", "dc_date"), ("sign_off", "cs_date")),
    plural="Microplans",
    instructions=(
        "Fill one microplan per cluster. Yellow cells are for you; everything else is locked.",
        "Start with sheet 'Identification', then work through the sheets from left to right.",
        "Pick roles, settlement types and timings from the lists in the cells.",
        "Counts are whole numbers. Dates are typed as dates (e.g. 15/03/2025).",
        "Activity and supervision dates lie between 30 days before the campaign start and "
        "its end; review meeting dates come after the campaign end.",
        "Add rows to a table by typing in the next empty row; you may insert rows too.",
        "When the plan is signed, choose 'Final' on the 'Sign-off' sheet and send the file.",
    ),
)
