"""A synthetic CCPM survey of an invented Nutrition cluster: deterministic, for the demo,
the tests and training.

One coordinator and 41 partners answer the default question bank; answers lean so that the
functions fall in different bands (some Good, some Weak), a few answers are "Don't know" or
left blank, and some respondents leave comments. Every name and answer is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from clusterbook.domain.ccpm import NEEDS_ACTION, ClusterDescription, assess, default_bank
from clusterbook.forms.ccpm import (
    ANNEX_ACTIONS,
    ANNEX_STATUS,
    CCPM_REPORT,
    DESCRIPTION,
    FOLLOW_UP,
    PARTICIPANTS,
    PARTNERS,
    RESPONSES,
    default_ccpm_data,
)
from clusterbook.forms.ccpm_bank import (
    DONT_KNOW,
    NOT_APPLICABLE,
    CcpmStatus,
    Crisis,
    Role,
    ScaleName,
    function_label,
)
from clusterbook.forms.schema import FormData

NOTICE = ("Synthetic CCPM survey made by ClusterBook for demonstration and training. The "
          "cluster, its partners, their answers and comments are invented.")

SEED = 2026
CCPM_DATE = dt.date(2025, 3, 14)
#: Partners per organisation type in the cluster, and how many of each answered.
PARTNER_COUNTS = {"UN agency": 6, "INGO": 18, "NNGO": 24, "National authority": 4, "Donor": 3,
                  "Other": 2}
RESPONDED = {"UN agency": 5, "INGO": 14, "NNGO": 16, "National authority": 3, "Donor": 2,
             "Other": 1}
#: How well each function works in each invented cluster: the mean code answers lean to.
CLUSTERS = {
    "Nutrition": {"1": 3.4, "2": 2.6, "3": 2.4, "4": 1.7, "5": 0.8, "6": 2.2, "7": 1.6},
    "Health": {"1": 3.0, "2": 2.9, "3": 1.8, "4": 1.4, "5": 1.9, "6": 2.8, "7": 1.2},
    "WASH": {"1": 3.6, "2": 2.0, "3": 2.9, "4": 1.6, "5": 1.0, "6": 3.1, "7": 2.5},
}
LEANING = CLUSTERS["Nutrition"]
_ORGANISATIONS = {
    "UN agency": ("UNICEF", "WFP", "WHO", "UNHCR", "FAO", "IOM"),
    "INGO": ("Action Nutrition", "CareBridge", "Global Health Aid", "Relief Partners",
             "Children First International", "Hope Worldwide", "MedAid", "FoodLink",
             "Nourish International", "Open Hands", "Water and Health", "Community Care",
             "Rural Relief", "Mother and Child Aid", "Frontline Nutrition", "Safe Harbour",
             "Grain of Hope", "Bright Futures"),
    "NNGO": tuple(f"{name} Association" for name in (
        "Al-Amal", "Sahel Women", "River Valley", "Green Hills", "Unity", "New Dawn",
        "Mountain Health", "Desert Rose", "Harvest", "Lifeline", "Bridges", "Sunrise",
        "Oasis", "Northern Light", "Family Care", "Youth Voice", "Shelter Plus", "Clean Water",
        "Crescent", "Peace Builders", "Local Relief", "Village Health", "Open Door",
        "Kindred")),
    "National authority": ("Ministry of Health", "Nutrition Directorate",
                           "Disaster Management Agency", "Provincial Health Office"),
    "Donor": ("Humanitarian Fund", "Development Agency", "Relief Foundation"),
    "Other": ("Red Crescent Society", "University Nutrition Unit"),
}
_COMMENTS = {
    "1": ("Meetings are useful but often run long.",
          "The who-does-what map is not updated often enough at district level.",
          "Local partners would join more if meetings were held in the national language.",
          "Sub-national coordination works well in the north, less so in the south.",
          "Duplication between two partners in the same camp was solved quickly."),
    "2": ("Assessment results reach us too late to plan with.",
          "Gap analysis is good at national level, weaker in the provinces.",
          "We would like to see how the analysis was presented to the HCT.",
          "Disability is rarely part of the analysis."),
    "3": ("We were not consulted on the strategy.", "Standards are clear and well shared.",
          "Funding priorities are not explained to smaller partners.",
          "The strategy is too long to use in the field.",
          "Guidelines exist but have not been translated."),
    "4": ("The reporting template is too complicated.",
          "We never see the dashboard discussed in meetings.",
          "Nobody followed up when targets were missed.",
          "Reporting twice, to the cluster and to the donor, takes too much time."),
    "5": ("There is no contingency plan we know of.",
          "Training for the Ministry stopped last year.",
          "The national authority should co-chair the cluster.",
          "Preparedness is not discussed outside the rainy season."),
    "6": ("Advocacy on access was effective this year.",
          "Partners are not asked which issues to raise.",
          "Key messages should be shared before HCT meetings."),
    "7": ("Feedback from communities is collected but rarely acted on.",
          "Information for communities is only in English.",
          "The hotline works, but few people know about it.",
          "Older people are not consulted."),
}


@dataclass(frozen=True)
class SampleSurvey:
    """The synthetic survey: the long answers table, the cluster description, the workshop
    participants."""

    answers: pd.DataFrame
    description: ClusterDescription
    participants: pd.DataFrame
    notice: str = NOTICE


def _answer(rng: np.random.Generator, labels: list[tuple[str, int]], leaning: float) -> str:
    if rng.random() < 0.05:
        return DONT_KNOW if rng.random() < 0.7 else NOT_APPLICABLE
    if rng.random() < 0.03:
        return ""
    codes = np.array([code for _, code in labels], dtype=float)
    weights = np.exp(-((codes - leaning) ** 2) / 1.6)
    choice = rng.choice(len(labels), p=weights / weights.sum())
    return labels[int(choice)][0]


@lru_cache(maxsize=4)
def sample_survey(cluster: str = "Nutrition") -> SampleSurvey:
    """The synthetic CCPM survey of one of :data:`CLUSTERS` (always the same answers)."""
    leanings = CLUSTERS[cluster]
    rng = np.random.default_rng([SEED, list(CLUSTERS).index(cluster)])
    bank = default_bank()
    people: list[tuple[str, Role, str, str]] = [("R001", Role.COORDINATOR, "UN agency", "UNICEF")]
    for kind, count in RESPONDED.items():
        for index in range(count):
            people.append((f"R{len(people) + 1:03d}", Role.PARTNER, kind,
                           _ORGANISATIONS[kind][index]))
    rows = []
    said: dict[str, int] = dict.fromkeys(_COMMENTS, 0)
    for respondent_id, role, kind, _ in people:
        bias = rng.normal(0, 0.35)
        for question in bank.questions:
            if question.asked_of not in (role, Role.BOTH):
                continue
            if question.scale == ScaleName.COMMENT:
                options = _COMMENTS[question.function]
                if rng.random() < 0.12 and said[question.function] < len(options):
                    rows.append((respondent_id, role, kind, question.question_id,
                                 options[said[question.function]]))
                    said[question.function] += 1
                continue
            labels = list(bank.scale_of(question).codes)
            leaning = leanings[question.function] + bias + (0.6 if role == Role.COORDINATOR else 0)
            # The coordinator confirms the terms of reference: a good-practice question.
            answer = "Yes" if question.question_id == "1.1c" else _answer(rng, labels, leaning)
            rows.append((respondent_id, role, kind, question.question_id, answer))
    answers = pd.DataFrame(rows, columns=["respondent_id", "respondent_role",
                                          "organisation_type", "question_id", "answer"])
    participants = pd.DataFrame(
        [(f"Participant {index + 1:02d}", organisation, kind)
         for index, (_, _, kind, organisation) in enumerate(people[:28])],
        columns=["name", "organisation", "organisation_type"])
    description = ClusterDescription(
        cluster=cluster, country="Sample Country", ccpm_date=CCPM_DATE, crisis=Crisis.PROTRACTED,
        coordinator="Cluster Coordinator (sample)", lead_agency="UNICEF", partners=PARTNER_COUNTS)
    return SampleSurvey(answers, description, participants)


def wide(answers: pd.DataFrame) -> pd.DataFrame:
    """The long answers as a survey tool exports them: one row per respondent, one column per
    question id (in bank order)."""
    order = list(dict.fromkeys(default_bank().ids))
    table = answers.pivot_table(index=["respondent_id", "respondent_role", "organisation_type"],
                                columns="question_id", values="answer", aggfunc="first")
    table = table.reindex(columns=[qid for qid in order if qid in table.columns])
    return table.reset_index().rename_axis(columns=None)


def description_rows(description: ClusterDescription) -> pd.DataFrame:
    """The cluster description as a two-column table (label, value), as a CSV would hold it."""
    rows: list[tuple[str, object]] = [
        ("Cluster", description.cluster), ("Country or operation", description.country),
        ("Date of this CCPM", description.ccpm_date.isoformat()
         if description.ccpm_date else ""),
        ("Type of crisis", description.crisis),
        ("Onset of the emergency", description.onset.isoformat() if description.onset else ""),
        ("Cluster coordinator", description.coordinator),
        ("Cluster lead agency", description.lead_agency),
        *description.partners.items(),
    ]
    return pd.DataFrame(rows, columns=["Item", "Value"])


def sample_workshop(cluster: str = "Nutrition") -> FormData:
    """What the invented cluster's workshop wrote in Annex I, and four months of follow-up.

    Each Unsatisfactory or Weak function gets actions; one borderline status is amended by
    consensus, with its reason, so the overview shows an amendment.
    """
    survey = sample_survey(cluster)
    scores = assess(survey.answers, partners=survey.description.partners).function_scores
    statuses: list[dict[str, object]] = []
    actions: list[dict[str, object]] = []
    progress: list[dict[str, object]] = []
    steps = (("In progress", "In progress", "Done", "Done"),
             ("Not started", "In progress", "In progress", "Delayed"),
             ("In progress", "Done", "Done", "Done"),
             ("Not started", "Not started", "In progress", "In progress"))
    for line in scores.itertuples(index=False):
        entry: dict[str, object] = {"works_well": _WORKS_WELL.get(line.function, ""),
                                    "constraints": _CONSTRAINTS.get(line.function, "")}
        final = line.status
        if line.score == 50.0:  # on the boundary: the workshop agreed it is Satisfactory
            final = CcpmStatus.SATISFACTORY
            entry.update(amended_status=final,
                         reason="The score sits on the 50 % limit and the access campaign "
                                "this year showed what the cluster can do.",
                         consensus="Agreed in plenary by all working groups.")
        statuses.append(entry)
        if final in NEEDS_ACTION:
            for number, (action, responsible, months) in enumerate(
                    _ACTIONS[line.function][:2]):
                actions.append({"function": function_label(line.function), "action": action,
                                "responsible": responsible,
                                "deadline": CCPM_DATE + dt.timedelta(days=30 * months),
                                "support": "Lead agency staff time" if number == 0 else ""})
                plan = steps[len(progress) % len(steps)]
                progress.append({f"month_{month}": status
                                 for month, status in enumerate(plan, start=1)})
    return FormData(CCPM_REPORT, tables={ANNEX_STATUS.key: statuses,
                                         ANNEX_ACTIONS.key: actions,
                                         FOLLOW_UP.key: progress})


_WORKS_WELL = {
    "1": "Regular meetings; a shared map of who does what where.",
    "2": "Joint assessments with the Health cluster.",
    "3": "Standards adapted to the context and shared.",
    "4": "Partners report every month.",
    "5": "The Ministry takes part in the cluster.",
    "6": "Advocacy on access this year.",
    "7": "A community hotline exists.",
}
_CONSTRAINTS = {
    "1": "Local partners join less often.",
    "2": "Results reach partners late.",
    "3": "Funding priorities not explained to small partners.",
    "4": "Dashboards are not discussed; no corrective action.",
    "5": "No up-to-date contingency plan; training stopped.",
    "6": "Partners are not asked which issues to raise.",
    "7": "Feedback is rarely acted on; information only in English.",
}
_ACTIONS = {
    "1": (("Hold meetings in the national language every other month", "Cluster team", 3),
          ("Update the 4W map at district level", "Information officer", 2)),
    "2": (("Share assessment results within two weeks", "Assessment working group", 2),
          ("Add disability to the gap analysis", "Cluster team", 4)),
    "3": (("Consult partners on the strategy review", "Cluster coordinator", 3),
          ("Explain funding priorities in a partners' meeting", "Cluster coordinator", 1)),
    "4": (("Review the dashboard in every cluster meeting", "Information officer", 1),
          ("Agree corrective action when targets are missed", "Strategic advisory group", 3)),
    "5": (("Update the contingency plan with the Ministry", "Cluster coordinator", 4),
          ("Restart preparedness training for national staff", "Lead agency", 6)),
    "6": (("Ask partners for advocacy issues before each HCT meeting", "Cluster team", 2),
          ("Publish key messages every quarter", "Cluster coordinator", 3)),
    "7": (("Report back to communities on feedback received", "AAP focal point", 2),
          ("Translate key information into local languages", "Partners", 3)),
}


def sample_ccpm_data(cluster: str = "Nutrition") -> FormData:
    """The CCPM workbook of an invented cluster, filled: its description and partners, the
    default bank, the survey responses pasted in, and the workshop participants."""
    survey = sample_survey(cluster)
    data = default_ccpm_data()
    description = survey.description
    data.records[DESCRIPTION.key] = {
        "cluster": description.cluster, "country": description.country,
        "ccpm_date": description.ccpm_date, "crisis": description.crisis,
        "coordinator": description.coordinator, "lead_agency": description.lead_agency}
    data.tables[PARTNERS.key] = [{"organisation_type": kind, "partners": count}
                                 for kind, count in description.partners.items()]
    responses = wide(survey.answers)
    data.tables[RESPONSES.key] = [
        {key: (None if pd.isna(value) else value) for key, value in row.items()}
        for row in responses.to_dict("records")]
    data.tables[PARTICIPANTS.key] = survey.participants.to_dict("records")
    return data
