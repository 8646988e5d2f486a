"""The words of CCPM and the default question bank, as plain data.

The functions and sub-functions, the answer scales, the organisation types and the default
questions are described here once; the CCPM workbook template, the rules in
``clusterbook.domain.ccpm`` and the reports all read them from here. The questions are
ClusterBook's own wording of what each core function asks of a cluster; a cluster may edit
them in its workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

#: The six core functions and accountability to affected populations.
FUNCTIONS: Final = {
    "1": "Supporting service delivery",
    "2": "Informing the HC/HCT's strategic decision-making",
    "3": "Planning and strategy development",
    "4": "Monitoring and evaluating performance",
    "5": "Building national capacity in preparedness and contingency planning",
    "6": "Advocacy",
    "7": "Accountability to affected populations",
}

#: Short names, for sheet names and chart labels.
FUNCTION_SHORT_NAMES: Final = {
    "1": "Service delivery",
    "2": "Strategic decisions",
    "3": "Planning and strategy",
    "4": "Monitoring",
    "5": "Preparedness",
    "6": "Advocacy",
    "7": "Accountability (AAP)",
}

#: The sub-functions of functions 1 to 4, in ClusterBook's words.
SUB_FUNCTIONS: Final = {
    "1.1": "A platform that keeps service delivery on the agreed strategic priorities",
    "1.2": "Ways of working that avoid duplicating services",
    "2.1": "Needs assessments and gap analysis, within the sector and across sectors",
    "2.2": "Analysis of gaps, obstacles, duplication and cross-cutting issues",
    "2.3": "Priorities grounded in analysis of the response",
    "3.1": "Sector plans, objectives and indicators that serve the HC/HCT's priorities",
    "3.2": "Common standards and guidelines, applied",
    "3.3": "Funding requirements, priorities and the cluster's share of humanitarian funding",
    "4.1": "Monitoring and reporting on activities and needs",
    "4.2": "Measuring performance against the cluster strategy and correcting course",
}


class Role(StrEnum):
    """Which questionnaire a respondent filled (Coordinator, Partner), or who a question is
    for (also Both), as books and CSV files write it."""

    COORDINATOR = "Coordinator"
    PARTNER = "Partner"
    BOTH = "Both"


#: Who answers a question: the coordinator questionnaire, the partner questionnaire, or both.
RESPONDENT_GROUPS: Final = tuple(Role)
#: A respondent's role: which questionnaire they filled.
RESPONDENT_ROLES: Final = (Role.COORDINATOR, Role.PARTNER)

ORGANISATION_TYPES: Final = ("UN agency", "INGO", "NNGO", "National authority", "Donor",
                             "Other")

DONT_KNOW: Final = "Don't know"
NOT_APPLICABLE: Final = "Not applicable"
#: Answers that carry no score on every scale: left out, never counted as zero.
NO_SCORE_LABELS: Final = (DONT_KNOW, NOT_APPLICABLE)


class ScaleName(StrEnum):
    """The default answer scales, as the question bank names them. A cluster may add scales
    of its own names in its workbook."""

    YES_NO = "Yes/No"
    FREQUENCY = "Frequency"
    AGREEMENT = "Agreement"
    #: Free-text answers (the comments per function): kept, never scored.
    COMMENT = "Comment"


#: The default scales: each label with its code, 0 (worst) to 4 (best).
DEFAULT_SCALES: Final[dict[str, tuple[tuple[str, int], ...]]] = {
    ScaleName.YES_NO: (("Yes", 4), ("No", 0)),
    ScaleName.FREQUENCY: (("Never", 0), ("Rarely", 1), ("Sometimes", 2), ("Fairly often", 3),
                          ("Very regularly", 4)),
    ScaleName.AGREEMENT: (("Strongly disagree", 0), ("Disagree", 1), ("Neutral", 2),
                          ("Agree", 3), ("Strongly agree", 4)),
}


class CcpmStatus(StrEnum):
    """A performance band, best first, as books and CSV files write it."""

    GOOD = "Good"
    SATISFACTORY = "Satisfactory"
    UNSATISFACTORY = "Unsatisfactory"
    WEAK = "Weak"
    NOT_ASSESSED = "Not assessed"


#: The performance bands, best first.
STATUSES: Final = tuple(CcpmStatus)


class ActionProgress(StrEnum):
    """The follow-up status of a priority action, month by month."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    DONE = "Done"
    DELAYED = "Delayed"


#: Follow-up statuses of an action, month by month.
ACTION_PROGRESS: Final = tuple(ActionProgress)


class Crisis(StrEnum):
    """The kind of crisis a cluster works in (it sets when the next CCPM is due)."""

    PROTRACTED = "Protracted crisis"
    NEW_EMERGENCY = "New emergency"


CRISIS_TYPES: Final = tuple(Crisis)


@dataclass(frozen=True)
class Question:
    """One question of the bank.

    ``sub_function`` is '' for questions of functions 5 to 7 (which have none); ``asked_of``
    is one of :data:`RESPONDENT_GROUPS`; ``scale`` names a scale (``ScaleName.COMMENT`` for a
    free-text comment, never scored).
    """

    question_id: str
    function: str
    sub_function: str
    asked_of: Role
    text: str
    scale: str

    @property
    def scored(self) -> bool:
        return self.scale != ScaleName.COMMENT


def _q(question_id: str, asked_of: Role, scale: str, text: str) -> Question:
    head = question_id.rstrip("abcdefghijklmnopqrstuvwxyz")
    function, _, _ = head.partition(".")
    return Question(question_id, function, head if "." in head else "", asked_of, text, scale)


# Shorthands for the table below.
C, P, B = Role.COORDINATOR, Role.PARTNER, Role.BOTH
YN, OFTEN, AGREE = ScaleName.YES_NO, ScaleName.FREQUENCY, ScaleName.AGREEMENT

#: The default bank: ids read as sub-function (or function) and a letter, e.g. '2.3b' or '6a';
#: the comment question of function N is 'CN'.
DEFAULT_QUESTIONS: Final[tuple[Question, ...]] = (
    _q("1.1a", B, OFTEN, "How often do cluster meetings look at how partners' work matches "
                         "the agreed strategic priorities?"),
    _q("1.1b", P, AGREE, "Cluster meetings are a useful place for my organisation to "
                         "coordinate the services it delivers."),
    _q("1.1c", C, YN, "Has the cluster agreed terms of reference that say how partners "
                      "coordinate service delivery?"),
    _q("1.1d", P, OFTEN, "How often are meetings held in a language and place that suit "
                         "national and local partners?"),
    _q("1.2a", B, YN, "Does the cluster keep an up-to-date map of who does what, where and "
                      "when?"),
    _q("1.2b", P, OFTEN, "How often does your organisation report its activities for that "
                         "map?"),
    _q("1.2c", B, AGREE, "The cluster's map of partners' activities helps avoid "
                         "duplicating services."),
    _q("2.1a", B, YN, "Has the cluster led or joined a coordinated needs assessment in the "
                      "past 12 months?"),
    _q("2.1b", P, AGREE, "Partners were consulted on the design of the cluster's needs "
                         "assessments."),
    _q("2.1c", B, OFTEN, "How often are assessment results shared with partners in time "
                         "for them to use?"),
    _q("2.2a", B, OFTEN, "How often does the cluster analyse gaps, obstacles and "
                         "duplication in the response?"),
    _q("2.2b", P, AGREE, "The cluster's analysis takes gender, age, disability and other "
                         "cross-cutting issues into account."),
    _q("2.2c", C, YN, "Has the cluster shared its analysis of gaps with the inter-cluster "
                      "coordination group?"),
    _q("2.3a", B, AGREE, "The cluster's priorities follow from its analysis of needs and "
                         "of the response."),
    _q("2.3b", P, OFTEN, "How often does the cluster's analysis shape your organisation's "
                         "own priorities?"),
    _q("2.3c", C, YN, "Has the cluster's analysis been presented to the HC/HCT to inform "
                      "its decisions?"),
    _q("3.1a", B, YN, "Does the cluster have a written strategy with objectives and "
                      "indicators?"),
    _q("3.1b", P, AGREE, "The cluster strategy clearly supports the HC/HCT's strategic "
                         "priorities."),
    _q("3.1c", P, AGREE, "Partners could contribute to writing the cluster strategy."),
    _q("3.2a", B, YN, "Has the cluster agreed technical standards and guidelines adapted "
                      "to the context?"),
    _q("3.2b", P, OFTEN, "How often does your organisation apply the cluster's agreed "
                         "standards and guidelines?"),
    _q("3.2c", B, AGREE, "The agreed standards are shared in a form partners can use in "
                         "the field."),
    _q("3.3a", B, AGREE, "Partners agree with how the cluster sets priorities for funding "
                         "requests."),
    _q("3.3b", P, OFTEN, "How often does the cluster tell partners about funding "
                         "opportunities and allocations?"),
    _q("3.3c", C, YN, "Are the cluster's funding requirements set out in the humanitarian "
                      "response plan?"),
    _q("4.1a", B, OFTEN, "How often does the cluster publish reports on the response "
                         "(dashboards, bulletins)?"),
    _q("4.1b", P, AGREE, "The cluster's reporting tools are simple enough for my "
                         "organisation to use."),
    _q("4.1c", C, YN, "Does the cluster have an agreed monitoring framework with "
                      "indicators?"),
    _q("4.2a", B, OFTEN, "How often does the cluster review progress against its strategy "
                         "with partners?"),
    _q("4.2b", P, AGREE, "When the response falls short, the cluster agrees corrective "
                         "action with partners."),
    _q("4.2c", C, YN, "Has the cluster reviewed its strategy in the past 12 months?"),
    _q("5a", B, YN, "Does the cluster have a contingency plan updated in the past 12 "
                    "months?"),
    _q("5b", P, AGREE, "National authorities and local organisations take part in the "
                       "cluster's preparedness work."),
    _q("5c", B, OFTEN, "How often does the cluster run training or exercises that build "
                       "national capacity?"),
    _q("5d", C, YN, "Has the cluster agreed a plan for handing coordination over to "
                    "national actors?"),
    _q("6a", B, OFTEN, "How often does the cluster identify advocacy issues together with "
                       "partners?"),
    _q("6b", P, AGREE, "The cluster's advocacy messages reflect the concerns of partners "
                       "and of affected people."),
    _q("6c", C, YN, "Has the cluster carried out advocacy on behalf of partners in the past "
                    "12 months?"),
    _q("7a", B, YN, "Does the cluster have agreed ways for affected people to give "
                    "feedback and complain?"),
    _q("7b", P, OFTEN, "How often does feedback from affected people lead to changes in "
                       "the response?"),
    _q("7c", B, AGREE, "Women, older people and people with disabilities are consulted "
                       "when the response is planned."),
    _q("7d", P, AGREE, "The cluster shares information with affected people in languages "
                       "and formats they understand."),
    *(Question(f"C{number}", number, "", B, f"Your comments on function {number} "
                                            f"({FUNCTIONS[number]})", ScaleName.COMMENT)
      for number in FUNCTIONS),
)


def function_label(function: str) -> str:
    """'3. Planning and strategy development': how a function reads in lists and dropdowns."""
    return f"{function}. {FUNCTIONS[function]}"


#: The function labels, in order, as the action plan's dropdown offers them.
FUNCTION_LABELS: Final = tuple(function_label(number) for number in FUNCTIONS)
