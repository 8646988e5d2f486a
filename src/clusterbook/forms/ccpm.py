"""The CCPM workbooks, described once.

:data:`CCPM` is the workbook a cluster coordinator fills: the cluster description (partners per
organisation type), the question bank and its answer scales (prefilled with the defaults, and
editable), the survey responses (one row per respondent, one column per question id, as survey
tools export them) and the workshop participants.

:data:`CCPM_REPORT` describes the parts of the report book that the cluster fills after the
workshop and that ClusterBook reads back: Annex I (the status of each function, with any
amendment, and the priority actions) and the monthly follow-up of those actions.
"""

from __future__ import annotations

from typing import Final

from clusterbook.forms.ccpm_bank import (
    ACTION_PROGRESS,
    CRISIS_TYPES,
    DEFAULT_QUESTIONS,
    DEFAULT_SCALES,
    FUNCTION_LABELS,
    FUNCTIONS,
    NO_SCORE_LABELS,
    ORGANISATION_TYPES,
    RESPONDENT_GROUPS,
    RESPONDENT_ROLES,
    STATUSES,
    Question,
    ScaleName,
)
from clusterbook.forms.schema import Field, Form, FormData, Kind, RecordSection, TableSection

# ---------------------------------------------------------------- the CCPM workbook (input)

DESCRIPTION = RecordSection(
    key="description", title="Cluster description", sheet="Cluster description",
    fields=(
        Field("cluster", "Cluster", required=True, width=34,
              help="The cluster's name, e.g. 'Nutrition'."),
        Field("country", "Country or operation", required=True),
        Field("ccpm_date", "Date of this CCPM", Kind.DATE, required=True,
              help="The date the survey closed."),
        Field("crisis", "Type of crisis", Kind.CHOICE, choices=CRISIS_TYPES,
              help="Decides when the next CCPM is due."),
        Field("onset", "Onset of the emergency", Kind.DATE,
              help="For a new emergency: the date it began."),
        Field("coordinator", "Cluster coordinator"),
        Field("lead_agency", "Cluster lead agency"),
    ),
)

PARTNERS = TableSection(
    key="partners", title="Partners per organisation type (the response-rate denominators)",
    sheet="Cluster description", title_row=12, header_row=13, rows=len(ORGANISATION_TYPES),
    fields=(
        Field("organisation_type", "Organisation type", Kind.CHOICE, required=True,
              choices=ORGANISATION_TYPES, width=34),
        Field("partners", "Partners in the cluster", Kind.COUNT, required=True,
              help="How many partners of this type the cluster has."),
    ),
)

QUESTION_BANK = TableSection(
    key="questions", title="Question bank", sheet="Question bank", header_row=4, rows=120,
    fields=(
        Field("question_id", "Question id", required=True, width=11,
              aliases=("ID", "Question ID", "QID", "Item")),
        Field("function", "Function", Kind.CHOICE, required=True, choices=tuple(FUNCTIONS),
              width=9, help="1 to 7 (7 is accountability to affected populations)."),
        Field("sub_function", "Sub-function", width=12, aliases=("Subfunction",),
              help="1.1 to 4.2; empty for functions 5 to 7."),
        Field("asked_of", "Asked of", Kind.CHOICE, required=True, choices=RESPONDENT_GROUPS,
              width=12, aliases=("Who answers", "Respondents", "Respondent", "Answered by",
                                 "Asked to", "Who", "Audience"),
              help="Coordinator, Partner or Both."),
        Field("text", "Question", required=True, width=92, aliases=("Question text", "Text")),
        Field("scale", "Answer scale", required=True, width=14, aliases=("Scale",),
              help="A scale from the Scales sheet; 'Comment' for free text."),
    ),
)

SCALES = TableSection(
    key="scales", title="Answer scales", sheet="Scales", header_row=4, rows=60,
    fields=(
        Field("scale", "Scale", required=True, width=16),
        Field("label", "Answer", required=True, width=22, aliases=("Label",)),
        Field("code", "Code (0 to 4)", Kind.COUNT, minimum=0, maximum=4, width=12,
              aliases=("Code",),
              help="0 is the worst answer and 4 the best; empty for an answer that carries "
                   "no score (Don't know, Not applicable)."),
    ),
)


def scale_choices(scale: str) -> tuple[str, ...]:
    """The answers a default scale offers, scored ones first, then the ones with no score."""
    return tuple(label for label, _ in DEFAULT_SCALES[scale]) + NO_SCORE_LABELS


def _answer_field(question: Question) -> Field:
    help_text = question.text if len(question.text) <= 250 else question.text[:247] + "..."
    if question.scale == ScaleName.COMMENT:
        return Field(question.question_id, question.question_id, width=30, help=help_text)
    return Field(question.question_id, question.question_id, Kind.CHOICE,
                 choices=scale_choices(question.scale), width=12, help=help_text)


RESPONDENT_FIELDS: Final = (
    Field("respondent_id", "respondent_id", required=True, width=14,
          aliases=("Respondent", "Respondent ID", "ID", "Response ID", "_uuid", "uuid",
                   "Submission ID", "_id"),
          help="Any code that is the same for one person; a coordinator who filled both "
               "questionnaires keeps one id and counts once."),
    Field("respondent_role", "respondent_role", Kind.CHOICE, choices=RESPONDENT_ROLES, width=14,
          aliases=("Role", "Respondent role", "Questionnaire", "Respondent type"),
          help="Coordinator or Partner: which questionnaire this row answers."),
    Field("organisation_type", "organisation_type", Kind.CHOICE, choices=ORGANISATION_TYPES,
          width=18, aliases=("Organisation type", "Organization type", "Type of organisation",
                             "Type of organization", "Org type", "Organisation category"),
          help="UN agency, INGO, NNGO, National authority, Donor or Other."),
)

RESPONSES = TableSection(
    key="responses", title="Survey responses: one row per respondent, one column per question",
    sheet="Responses", header_row=4, rows=200, protect=False,
    fields=RESPONDENT_FIELDS + tuple(_answer_field(question) for question in DEFAULT_QUESTIONS),
)

PARTICIPANTS = TableSection(
    key="participants", title="Workshop participants", sheet="Participants", header_row=4,
    rows=60,
    fields=(
        Field("name", "Name", required=True, width=26, aliases=("Participant", "Full name")),
        Field("organisation", "Organisation", required=True, width=26,
              aliases=("Organization", "Agency")),
        Field("organisation_type", "Organisation type", Kind.CHOICE, choices=ORGANISATION_TYPES,
              width=18, aliases=("Organization type", "Type")),
    ),
)

CCPM = Form(
    form_id="ccpm",
    version="2025.1",
    title="CCPM: Cluster Coordination Performance Monitoring",
    sections=(DESCRIPTION, PARTNERS, QUESTION_BANK, SCALES, RESPONSES, PARTICIPANTS),
    instructions=(
        "Fill the cluster description, including the number of partners of each organisation "
        "type: they are the denominators of the response rates.",
        "The question bank and the scales hold ClusterBook's default questions; edit them if "
        "your cluster asks different questions, keeping each question id unique.",
        "Paste the survey export into Responses: one row per respondent, one column per "
        "question id (the coordinator's and the partners' questionnaires in the same sheet).",
        "'Don't know', 'Not applicable' and empty answers carry no score; they are never "
        "counted as zero.",
        "List the workshop participants to have them split into working groups.",
        "Then make the preliminary report: clusterbook ccpm report THIS_FILE.xlsx "
        "--out report.xlsx",
    ),
)

def default_ccpm_data() -> FormData:
    """The CCPM workbook as ClusterBook ships it: the default question bank and scales, and
    the six organisation types waiting for their numbers of partners."""
    scale_rows: list[dict[str, object]] = [
        {"scale": name, "label": label, "code": code}
        for name, codes in DEFAULT_SCALES.items()
        for label, code in (*codes, *((text, None) for text in NO_SCORE_LABELS))]
    return FormData(CCPM, tables={
        QUESTION_BANK.key: [{"question_id": q.question_id, "function": q.function,
                             "sub_function": q.sub_function, "asked_of": q.asked_of,
                             "text": q.text, "scale": q.scale} for q in DEFAULT_QUESTIONS],
        SCALES.key: [*scale_rows,
                     {"scale": ScaleName.COMMENT, "label": "(any text)", "code": None}],
        PARTNERS.key: [{"organisation_type": kind} for kind in ORGANISATION_TYPES],
    })


# ------------------------------------------------------ the report book's parts filled back

AMENDABLE_STATUSES: Final = STATUSES[:4]
MONTHS: Final = 12
QUARTERS: Final = 4

ANNEX_STATUS = TableSection(
    key="annex_status", title="Status of each function", sheet="Annex I", title_row=4,
    header_row=5, rows=len(FUNCTIONS),
    fields=(
        Field("function", "Function", required=True, width=26),
        Field("score", "Score (%)", Kind.PERCENT, width=8),
        Field("computed_status", "Computed status", width=14),
        Field("amended_status", "Amended status", Kind.CHOICE, choices=AMENDABLE_STATUSES,
              width=14, help="Only when the workshop agreed a different status."),
        Field("reason", "Reason for the amendment", width=22,
              help="Required when the status is amended."),
        Field("consensus", "Consensus note", width=20,
              help="How the workshop reached the amended status."),
        Field("works_well", "What works well", width=28),
        Field("constraints", "Constraints", width=28),
        Field("final_status", "Final status", width=14),
        Field("check", "Check", width=22),
    ),
)

ANNEX_ACTIONS = TableSection(
    key="annex_actions", title="Priority follow-up actions (up to 5 per function)",
    sheet="Annex I actions", title_row=4, header_row=5, rows=40,
    fields=(
        Field("function", "Function", Kind.CHOICE, required=True, choices=FUNCTION_LABELS,
              width=30),
        Field("action", "Priority action", required=True, width=40),
        Field("responsible", "Responsible organisation", required=True, width=20),
        Field("deadline", "Deadline", Kind.DATE, required=True, width=12),
        Field("support", "Support required", width=30),
    ),
)

FOLLOW_UP = TableSection(
    key="follow_up", title="Monthly follow-up of the priority actions", sheet="Follow-up",
    title_row=1, header_row=5, rows=ANNEX_ACTIONS.rows,
    fields=(
        Field("function", "Function", width=22),
        Field("action", "Priority action", width=32),
        Field("responsible", "Responsible", width=14),
        Field("deadline", "Deadline", Kind.DATE, width=11),
        *(Field(f"month_{month}", f"Month {month}", Kind.CHOICE, choices=ACTION_PROGRESS,
                width=10.5) for month in range(1, MONTHS + 1)),
        *(Field(f"q{quarter}", f"Q{quarter}", width=10.5)
          for quarter in range(1, QUARTERS + 1)),
        Field("note", "Note", width=28),
    ),
)

CCPM_REPORT = Form(
    form_id="ccpm-report",
    version="2025.1",
    title="CCPM report: Annex I action plan and follow-up",
    sections=(ANNEX_STATUS, ANNEX_ACTIONS, FOLLOW_UP),
)

#: Fields of the report that ClusterBook fills (values or formulas), never typed by the cluster.
COMPUTED_FIELDS: Final = {
    ANNEX_STATUS.key: ("function", "score", "computed_status", "final_status", "check"),
    FOLLOW_UP.key: ("function", "action", "responsible", "deadline",
                    *(f"q{quarter}" for quarter in range(1, QUARTERS + 1))),
}

#: The report's hidden results sheet: one row per function, sub-function and question, read
#: back by the inter-cluster overview.
RESULTS_SHEET: Final = "_results"
RESULT_COLUMNS: Final = ("level", "id", "name", "score", "status", "respondents")
#: Facts about the cluster on the form sheet, in the rows after the form id and version.
FACT_ROWS: Final = ("cluster", "country", "ccpm_date", "crisis")
