"""CCPM rules on hand-worked surveys: codes, scores, bands, question scores, response rates.

Expected numbers are worked out by hand in the comments, or by a plain reference written
here from ccpm.md (not from the code under test).
"""

from __future__ import annotations

import math
import statistics
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterbook.domain.ccpm import (
    answer_code,
    assess,
    default_bank,
    group_score,
    question_score,
    score_text,
    status_for,
)
from clusterbook.domain.findings import Severity


def answers(*rows: tuple[str, str, str, str, object]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "respondent_role", "organisation_type",
                                       "question_id", "answer"])


# A hand-worked survey of function 4 (4.1a Frequency, 4.1b Agreement, 4.1c Yes/No,
# 4.2a Frequency, 4.2b Agreement, 4.2c Yes/No).
#
#   C  (coordinator): 4.1a Very regularly 4, 4.1c Yes 4, 4.2a Sometimes 2, 4.2c No 0
#   P1 (INGO):        4.1a Rarely 1, 4.1b Agree 3, 4.2a Don't know -, 4.2b Disagree 1
#   P2 (NNGO):        4.1a Never 0, 4.1b Neutral 2, 4.2b Not applicable -
#   P3 (NNGO):        4.1b (blank), 4.2a Fairly often 3, 4.2b Strongly agree 4
#
# Function 4, each respondent's mean: C 10/4, P1 5/3, P2 2/2, P3 7/2.
#   Sorted 1, 5/3, 5/2, 7/2: median (5/3 + 5/2) / 2 = 25/12; x 25 = 625/12 = 52.083... Satisfactory
# 4.1: C 8/2 = 4, P1 4/2 = 2, P2 2/2 = 1 (P3 none): median 2 -> 50 exactly: Unsatisfactory
# 4.2: C 2/2 = 1, P1 1/1 = 1, P3 7/2 (P2 none): median 1 -> 25 exactly: Weak
# Questions: 4.1a (4+1+0)/3 x 25 = 41.67; 4.1b (3+2)/2 = 62.5; 4.1c 100 (good practice);
#   4.2a (2+3)/2 = 62.5; 4.2b (1+4)/2 = 62.5; 4.2c 0.
HAND = answers(
    ("C", "Coordinator", "UN agency", "4.1a", "Very regularly"),
    ("C", "Coordinator", "UN agency", "4.1c", "Yes"),
    ("C", "Coordinator", "UN agency", "4.2a", "Sometimes"),
    ("C", "Coordinator", "UN agency", "4.2c", "No"),
    ("P1", "Partner", "INGO", "4.1a", "Rarely"),
    ("P1", "Partner", "INGO", "4.1b", "Agree"),
    ("P1", "Partner", "INGO", "4.2a", "Don't know"),
    ("P1", "Partner", "INGO", "4.2b", "Disagree"),
    ("P2", "Partner", "NNGO", "4.1a", "Never"),
    ("P2", "Partner", "NNGO", "4.1b", "Neutral"),
    ("P2", "Partner", "NNGO", "4.2b", "Not applicable"),
    ("P3", "Partner", "NNGO", "4.1b", ""),
    ("P3", "Partner", "NNGO", "4.2a", "Fairly often"),
    ("P3", "Partner", "NNGO", "4.2b", "Strongly agree"),
)


def test_hand_worked_survey():
    result = assess(HAND, partners={"INGO": 4, "NNGO": 4, "UN agency": 2})
    scores = result.scores.set_index("function")
    assert scores.at["4", "score"] == pytest.approx(625 / 12, abs=1e-9)
    assert scores.at["4", "status"] == "Satisfactory"
    assert scores.at["4", "respondents"] == 4
    assert scores.at["4.1", "score"] == 50.0
    assert scores.at["4.1", "status"] == "Unsatisfactory"
    assert scores.at["4.1", "respondents"] == 3
    assert scores.at["4.2", "score"] == 25.0
    assert scores.at["4.2", "status"] == "Weak"
    assert scores.at["4.2", "respondents"] == 3
    for nobody in ("1", "1.1", "5", "7"):
        assert math.isnan(scores.at[nobody, "score"])
        assert scores.at[nobody, "status"] == "Not assessed"
        assert scores.at[nobody, "respondents"] == 0
    questions = result.questions.set_index("question_id")
    assert questions.at["4.1a", "score"] == pytest.approx(125 / 3, abs=1e-9)
    assert questions.at["4.1b", "score"] == 62.5
    assert questions.at["4.1c", "score"] == 100.0
    assert questions.at["4.2c", "score"] == 0.0
    assert questions.at["4.2a", "answered"] == 2  # "Don't know" is not an answer with a score
    assert list(result.good_practice["question_id"]) == ["4.1c"]
    assert list(result.constraints["question_id"]) == ["4.2c", "4.1a", "4.1b", "4.2a", "4.2b"]
    assert questions.at["4.2b", "distribution"] == "Disagree 1, Strongly agree 1, Not applicable 1"
    assert result.findings == []


def test_response_rates_count_partners_by_type():
    result = assess(HAND, partners={"INGO": 4, "NNGO": 4, "UN agency": 2})
    rates = result.response_rates.set_index("organisation_type")
    assert rates.at["INGO", "respondents"] == 1 and rates.at["INGO", "rate"] == 25.0
    assert rates.at["NNGO", "respondents"] == 2 and rates.at["NNGO", "rate"] == 50.0
    # The coordinator (a UN agency) is not a partner respondent.
    assert rates.at["UN agency", "respondents"] == 0 and rates.at["UN agency", "rate"] == 0.0
    assert math.isnan(rates.at["Donor", "rate"])
    assert rates.at["All partners", "respondents"] == 3
    assert rates.at["All partners", "rate"] == pytest.approx(30.0)
    per_function = result.function_respondents.set_index("function")
    assert per_function.at["4", "NNGO"] == 2 and per_function.at["4", "Coordinator"] == 1
    assert per_function.at["4", "All"] == 4 and per_function.at["1", "All"] == 0


def test_the_all_partners_rate_leaves_out_types_with_no_partner_count():
    # The description lists INGOs and NNGOs only; a donor also answered: the rate of all
    # partners stays 3 of 8 (not 4 of 8), and a warning names the donor type.
    donor = pd.concat([HAND, answers(("P9", "Partner", "Donor", "4.1a", "Rarely"))])
    result = assess(donor, partners={"INGO": 4, "NNGO": 4})
    rates = result.response_rates.set_index("organisation_type")
    assert rates.at["All partners", "respondents"] == 4
    assert rates.at["All partners", "rate"] == pytest.approx(37.5)
    warning = [f for f in result.findings if f.rule == "ccpm-response-rate"]
    assert len(warning) == 1 and "Donor (1)" in warning[0].message
    assert warning[0].severity is Severity.WARNING


@pytest.mark.parametrize(("score", "status"), [
    (100, "Good"), (75.000001, "Good"), (75, "Satisfactory"), (50.000001, "Satisfactory"),
    (50, "Unsatisfactory"), (25.000001, "Unsatisfactory"), (25, "Weak"), (0, "Weak"),
    (None, "Not assessed"), (math.nan, "Not assessed"), (Fraction(75), "Satisfactory"),
])
def test_every_band_boundary(score, status):
    assert status_for(score) == status


@pytest.mark.parametrize("score", [-0.1, 100.5])
def test_a_score_outside_0_to_100_is_refused(score):
    with pytest.raises(ValueError, match="not a score from 0 to 100"):
        status_for(score)


@pytest.mark.parametrize(("rows", "score", "status"), [
    # One respondent with mean code 3: 75 exactly.
    ([["Agree", "Agree"]], 75.0, "Satisfactory"),
    # Means 8/3 and 10/3: their median is 3 exactly, although neither is exact in floats.
    ([[3, 3, 2], [4, 3, 3]], 75.0, "Satisfactory"),
    ([[2, 2], [2, 2, 2, 2]], 50.0, "Unsatisfactory"),
    ([[1], [0, 2], [1, 1, 1]], 25.0, "Weak"),
    ([[3, 4]], 87.5, "Good"),
    ([["Don't know"], [None]], None, "Not assessed"),
])
def test_boundaries_reached_through_scoring(rows, score, status):
    result = group_score(rows)
    assert result == score
    assert status_for(result) == status


def test_a_whole_survey_landing_on_75_is_satisfactory():
    table = answers(
        ("R0", "Partner", "INGO", "3.2b", "Fairly often"),   # 3
        ("R0", "Partner", "INGO", "3.2c", "Neutral"),        # 2 -> mean 5/2
        ("R1", "Partner", "INGO", "3.2b", "Very regularly"), # 4
        ("R1", "Partner", "INGO", "3.2c", "Agree"),          # 3 -> mean 7/2
    )
    scores = assess(table).scores.set_index("function")
    # Median of 5/2 and 7/2 is 3: 75 exactly, the top of Satisfactory.
    for group in ("3", "3.2"):
        assert scores.at[group, "score"] == 75.0
        assert scores.at[group, "status"] == "Satisfactory"


def test_answer_codes_as_the_udfs_use_them():
    assert answer_code("Yes") == 4 and answer_code("No") == 0
    assert answer_code("Fairly often") == 3 and answer_code("  fairly   OFTEN ") == 3
    assert answer_code("Strongly disagree") == 0 and answer_code("Strongly agree") == 4
    assert answer_code("Agree", "Agreement") == 3
    for nothing in ("Don't know", "Don’t know", "dont know", "Not applicable", "N/A", "", None,
                    "   "):
        assert answer_code(nothing) is None
    assert answer_code(3) == 3 and answer_code("2") == 2 and answer_code(4.0) == 4
    with pytest.raises(ValueError, match="'Maybe' is not an answer"):
        answer_code("Maybe")
    with pytest.raises(ValueError, match="Yes/No scale"):
        answer_code("Agree", "Yes/No")
    with pytest.raises(ValueError, match="not an answer"):
        answer_code(2, "Yes/No")  # 2 is not a code of the Yes/No scale
    with pytest.raises(ValueError, match="is not a scale"):
        answer_code("Yes", "Colours")


def test_question_score_leaves_out_answers_without_a_score():
    assert question_score(["Yes", "No", "Don't know", None, ""]) == 50.0
    assert question_score(["Agree", 4, "Strongly agree"]) == pytest.approx(275 / 3, abs=1e-9)
    assert question_score(["Not applicable"]) is None
    assert question_score([]) is None
    with pytest.raises(ValueError):
        question_score([5])


def test_score_text_rounds_half_up_like_excel():
    assert score_text(86.25) == "86.3 %"
    assert score_text(41.666666667) == "41.7 %"
    assert score_text(None) == "no answers"


# -- a reference written from ccpm.md, used on random surveys -----------------------------

_CODES = {"Yes": 4, "No": 0, "Never": 0, "Rarely": 1, "Sometimes": 2, "Fairly often": 3,
          "Very regularly": 4, "Strongly disagree": 0, "Disagree": 1, "Neutral": 2,
          "Agree": 3, "Strongly agree": 4}


_BANK = default_bank()
_GROUPS: dict[str, set[str]] = {}
for _question in _BANK.questions:
    if _question.scored:
        _GROUPS.setdefault(_question.function, set()).add(_question.question_id)
        if _question.sub_function:
            _GROUPS.setdefault(_question.sub_function, set()).add(_question.question_id)


def reference_scores(table: pd.DataFrame) -> dict[str, float | None]:
    """Function and sub-function scores straight from the spec: per respondent the mean code of
    the items of the group they answered; the median of those means; times 25."""
    people: dict[str, list[tuple[str, object]]] = {}
    for person, question, answer in zip(table["respondent_id"], table["question_id"],
                                        table["answer"], strict=True):
        people.setdefault(person, []).append((question, answer))
    result: dict[str, float | None] = {}
    for group, items in _GROUPS.items():
        means = []
        for answered in people.values():
            codes = [Fraction(_CODES[answer]) for question, answer in answered
                     if question in items and answer in _CODES]
            if codes:
                means.append(sum(codes) / len(codes))
        result[group] = float(statistics.median(means) * 25) if means else None
    return result


def _scale_answers(question_id: str) -> list[str]:
    scale = _BANK.scale_of(_BANK.find(question_id))
    return [label for label, _ in scale.codes] + ["Don't know", "Not applicable", ""]


_SCORED = [q.question_id for q in _BANK.questions if q.scored]


@st.composite
def surveys(draw) -> pd.DataFrame:
    people = draw(st.integers(1, 9))
    rows = []
    for person in range(people):
        asked = draw(st.lists(st.sampled_from(_SCORED), min_size=0, max_size=14, unique=True))
        for question in asked:
            answer = draw(st.sampled_from(_scale_answers(question)))
            rows.append((f"R{person}", "Partner" if person else "Coordinator", "INGO",
                         question, answer))
    return answers(*rows) if rows else answers(("R0", "Partner", "INGO", "1.1a", ""))


@settings(max_examples=60, deadline=None)
@given(surveys())
def test_random_surveys_score_as_the_spec_says(table):
    scores = assess(table).scores.set_index("function")
    expected = reference_scores(table)
    for group, value in expected.items():
        got = scores.at[group, "score"]
        if value is None:
            assert math.isnan(got) and scores.at[group, "status"] == "Not assessed"
        else:
            assert got == pytest.approx(value, abs=1e-9)
            exact_status = status_for(Fraction(value).limit_denominator(10_000))
            assert scores.at[group, "status"] == exact_status


# -- respondents ----------------------------------------------------------------------------

def test_a_coordinator_who_answered_both_questionnaires_counts_once():
    table = answers(
        ("C", "Coordinator", "UN agency", "1.1a", "Very regularly"),   # 4
        ("C", "Partner", "UN agency", "1.1b", "Agree"),                # 3, partner questionnaire
        ("C", "Partner", "UN agency", "1.1a", "Sometimes"),            # 2, answered twice
        ("P", "Partner", "INGO", "1.1a", "Never"),                     # 0
    )
    result = assess(table)
    scores = result.scores.set_index("function")
    assert scores.at["1.1", "respondents"] == 2
    # C: 1.1a counts once as the mean (4 + 2) / 2 = 3, with 1.1b 3 -> mean 3; P: 0.
    # Median of 3 and 0 is 1.5 -> 37.5.
    assert scores.at["1.1", "score"] == 37.5
    roles = result.respondents.set_index("respondent_id")["respondent_role"]
    assert roles.to_dict() == {"C": "Coordinator", "P": "Partner"}
    assert [f.rule for f in result.findings] == ["ccpm-answered-twice"]
    assert result.findings[0].severity is Severity.WARNING


def test_unknown_questions_and_answers_are_findings_not_zeros():
    table = answers(
        ("A", "Partner", "INGO", "1.1a", "Very regularly"),
        ("A", "Partner", "INGO", "1.1b", "Agreed"),       # not on the scale
        ("B", "Partner", "INGO", "1.1a", "Very regularly"),
        ("B", "Partner", "INGO", "9.9z", "Yes"),          # no such question
        ("B", "Partner", "INGO", "9.9z", "No"),
    )
    table["file"] = "responses.csv"
    table["answer@cell"] = [f"E{row}" for row in range(2, 7)]
    table["question_id@cell"] = [f"D{row}" for row in range(2, 7)]
    result = assess(table)
    # Had 'Agreed' been a zero, A's mean would be 2 and the score 75; it is left out: 100.
    assert result.scores.set_index("function").at["1.1", "score"] == 100.0
    errors = {f.rule: f for f in result.findings}
    assert errors["ccpm-unknown-answer"].cell == "E3"
    assert errors["ccpm-unknown-answer"].file == "responses.csv"
    assert "'Agreed' is not an answer on the Agreement scale" in errors[
        "ccpm-unknown-answer"].message
    unknown = errors["ccpm-unknown-question"]
    assert unknown.cell == "D5" and unknown.value == "9.9z"
    assert "2 cells like this" in unknown.message
    assert all(f.severity is Severity.ERROR for f in result.findings)


def test_roles_and_organisation_types_are_read_loosely():
    table = answers(
        ("A", "Cluster coordinator", "UN", "1.1c", "Yes"),
        ("B", "partner", "International NGO", "1.1b", "Agree"),
        ("D", "", "Local NGO", "1.1c", "No"),     # no role: a coordinator-only question
        ("E", "Partner", "Red Cross", "1.1b", "Agree"),
        ("F", "Observer", "Donor", "1.1b", "Agree"),
    )
    result = assess(table)
    people = result.respondents.set_index("respondent_id")
    assert people.loc["A"].tolist()[:2] == ["Coordinator", "UN agency"]
    assert people.loc["B"].tolist()[:2] == ["Partner", "INGO"]
    assert people.at["D", "respondent_role"] == "Coordinator"
    assert people.at["E", "organisation_type"] == "Other"
    rules = sorted(f.rule for f in result.findings)
    # 'Red Cross' is no type (counted as Other), 'Observer' no role.
    assert rules == ["ccpm-organisation-type", "ccpm-respondent"]


def test_an_edited_bank_and_scale_score_their_own_questions():
    from clusterbook.domain.ccpm import bank_from_tables

    questions = pd.DataFrame([
        {"question_id": "Q1", "function": "6", "sub_function": "", "asked_of": "Both",
         "text": "Advocacy works", "scale": "Quality"},
        {"question_id": "Q1", "function": "6", "sub_function": "", "asked_of": "Both",
         "text": "twice", "scale": "Quality"},
        {"question_id": "Q2", "function": "8", "sub_function": "", "asked_of": "Both",
         "text": "no such function", "scale": "Quality"},
        {"question_id": "Q3", "function": "6", "sub_function": "", "asked_of": "Both",
         "text": "unknown scale", "scale": "Colour"},
    ])
    scales = pd.DataFrame([
        {"scale": "Quality", "label": "Poor", "code": 0},
        {"scale": "Quality", "label": "Fair", "code": 2},
        {"scale": "Quality", "label": "Excellent", "code": 4},
        {"scale": "Quality", "label": "No opinion", "code": None},
    ])
    bank, findings = bank_from_tables(questions, scales)
    assert bank.ids == ("Q1",)
    assert len(findings) == 3
    result = assess(answers(("A", "Partner", "INGO", "Q1", "Fair"),
                            ("B", "Partner", "INGO", "Q1", "excellent"),
                            ("C", "Partner", "INGO", "Q1", "No opinion")), bank)
    assert result.scores.set_index("function").at["6", "score"] == 75.0
    assert result.findings == []
