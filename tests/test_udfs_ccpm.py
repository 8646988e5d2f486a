"""CCPM_SCORE and CCPM_STATUS called as Excel calls them, against ccpm.md and the domain.

Expected values come from the spec page (its scales and bands), worked by hand or by the small
reference below; random answers in every shape Excel passes are checked against both the
reference and ``clusterbook.domain.ccpm``.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterbook.domain.ccpm import question_score, status_for
from clusterbook.udfs import CCPM_SCORE, CCPM_STATUS
from excel_shapes import column, excel_range, row, table

#: ccpm.md's default scales, written out from the page.
SPEC_CODES = {
    "Yes": 4, "No": 0,
    "Never": 0, "Rarely": 1, "Sometimes": 2, "Fairly often": 3, "Very regularly": 4,
    "Strongly disagree": 0, "Disagree": 1, "Neutral": 2, "Agree": 3, "Strongly agree": 4,
}
NO_SCORE = ["Don't know", "Not applicable", None]


def spec_score(answers: list) -> float | None:
    """ccpm.md: the mean code of the answers that carry a score, times 25."""
    codes = [SPEC_CODES[a] if isinstance(a, str) else int(a) for a in answers
             if a not in NO_SCORE]
    return None if not codes else round(float(Fraction(sum(codes), len(codes)) * 25), 9)


def spec_status(score: float | None) -> str:
    """ccpm.md's bands."""
    if score is None:
        return "Not assessed"
    return ("Good" if score > 75 else "Satisfactory" if score > 50
            else "Unsatisfactory" if score > 25 else "Weak")


def test_a_question_score_worked_by_hand():
    # Agree 3, Strongly agree 4, Neutral 2, Don't know (left out), blank (left out): 9/3 = 3.
    answers = ["Agree", "Strongly agree", "Neutral", "Don't know", None]
    assert CCPM_SCORE(column(answers)) == 75.0
    assert CCPM_SCORE(row(answers)) == 75.0
    assert CCPM_SCORE(excel_range([["Agree", "Strongly agree"], ["Neutral", "Don't know"],
                                   [None, None]])) == 75.0
    assert CCPM_SCORE(column(answers), "Agreement") == 75.0
    # Every respondent gave the best answer: 100.
    assert CCPM_SCORE(column(["Yes", "Yes", "Not applicable"]), "Yes/No") == 100.0


def test_codes_and_labels_mix_and_text_codes_are_read():
    # Excel gives codes as floats; a survey export may give them as text.
    assert CCPM_SCORE(column([3.0, "Fairly often", "3", 4.0])) == 81.25
    assert CCPM_SCORE(row(["  fairly   OFTEN ", "very regularly"])) == 87.5


def test_no_scored_answer_is_a_blank_cell_and_a_blank_is_not_assessed():
    assert CCPM_SCORE(column(["Don't know", "Not applicable", None])) == ""
    assert CCPM_SCORE(None) == ""
    assert CCPM_STATUS(table([[CCPM_SCORE(column(["Don't know"]))]])) == "Not assessed"
    # A formula that shows nothing passes '' too.
    assert CCPM_SCORE(column(["", "Yes", ""])) == 100.0


# Each band's edges, as floats (Excel holds every number as a float).
BOUNDARIES = [
    (100.0, "Good"), (75.000000001, "Good"), (75.0, "Satisfactory"),
    (50.000000001, "Satisfactory"), (50.0, "Unsatisfactory"), (25.000000001, "Unsatisfactory"),
    (25.0, "Weak"), (0.0, "Weak"), (None, "Not assessed"), ("", "Not assessed"),
]


@pytest.mark.parametrize(("score", "status"), BOUNDARIES)
def test_every_band_boundary(score, status):
    assert CCPM_STATUS(table([[score]])) == status
    assert CCPM_STATUS(score) == status  # a plain value, as a Python caller gives it
    assert status == spec_status(None if score in (None, "") else score)


@pytest.mark.parametrize(("answers", "status"), [
    (["Agree", "Agree"], "Satisfactory"),                          # 75 exactly
    (["Strongly agree", "Agree", "Agree", "Agree"], "Good"),      # 81.25
    (["Sometimes", "Sometimes"], "Unsatisfactory"),               # 50 exactly
    (["Sometimes", "Fairly often", "Rarely", "Never"], "Unsatisfactory"),  # 37.5
    (["Rarely"], "Weak"),                                          # 25 exactly
    (["No", "Yes", "No", "No"], "Weak"),                           # 25 exactly
    (["No"], "Weak"),                                              # 0
])
def test_boundaries_reached_through_scoring(answers, status):
    score = CCPM_SCORE(column(answers))
    assert score == spec_score(answers)
    assert CCPM_STATUS(table([[score]])) == status


def test_a_range_of_scores_gives_a_range_of_statuses():
    assert CCPM_STATUS(table([[80.0], [75.0], [None], [10.0]])) == [
        ["Good"], ["Satisfactory"], ["Not assessed"], ["Weak"]]
    assert CCPM_STATUS(table([[80.0, 50.0]])) == [["Good", "Unsatisfactory"]]


def test_scores_typed_as_text_are_read_as_people_mean_them():
    assert CCPM_STATUS(table([["86.3 %"]])) == "Good"
    assert CCPM_STATUS(table([[" 75 "]])) == "Satisfactory"
    assert CCPM_STATUS(table([["٥٠"]])) == "Unsatisfactory"  # Eastern Arabic digits


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: CCPM_SCORE(column(["Agree", "Maybe"]), "Agreement"),
     "answers, value 2: 'Maybe' is not an answer on the Agreement scale (Strongly disagree, "
     "Disagree, Neutral, Agree, Strongly agree, Don't know, Not applicable)."),
    (lambda: CCPM_SCORE(excel_range([["Yes", 5.0], [2.5, "No"]]), "Yes/No"),
     "answers, row 1, column 2: 5 is not a code from 0 to 4 (and 1 more cell like it)."),
    (lambda: CCPM_SCORE(column(["Agree", "Yes"]), "Agreement"),
     "answers, value 2: 'Yes' is not an answer on the Agreement scale (Strongly disagree, "
     "Disagree, Neutral, Agree, Strongly agree, Don't know, Not applicable)."),
    (lambda: CCPM_SCORE(column(["Agree"]), "Likert"),
     "answer_scale: 'Likert' is not a scale (Yes/No, Frequency, Agreement, Comment)."),
    (lambda: CCPM_SCORE(row([True])),
     "answers: 'True' is not an answer on the Default answers scale (Yes, No, Never, Rarely, "
     "Sometimes, Fairly often, Very regularly, Strongly disagree, Disagree, Neutral, Agree, "
     "Strongly agree, Don't know, Not applicable)."),
    (lambda: CCPM_STATUS(table([[120.0]])), "score: 120 is not a score from 0 to 100."),
    (lambda: CCPM_STATUS(table([[-0.5]])), "score: -0.5 is not a score from 0 to 100."),
    (lambda: CCPM_STATUS(table([[80.0], ["high"], [dt.datetime(2025, 3, 1)]])),
     "score, value 2: 'high' is not a number (and 1 more cell like it)."),
    (lambda: CCPM_STATUS(table([[80.0, 1e3], [None, 2e3]])),
     "score, row 1, column 2: 1000 is not a score from 0 to 100 (and 1 more cell like it)."),
])
def test_a_bad_argument_shows_a_short_sentence_in_the_cell(call, expected):
    assert call() == expected


answer = st.sampled_from([*SPEC_CODES, *NO_SCORE, 0.0, 1.0, 2.0, 3.0, 4.0])
shape = st.sampled_from(["row", "column", "table"])


@given(st.lists(answer, min_size=1, max_size=24), shape, st.integers(1, 4))
def test_random_answers_in_any_shape_give_the_spec_and_the_domain_score(answers, how, width):
    if how == "row":
        argument = row(answers)
    elif how == "column":
        argument = column(answers)
    else:
        padded = answers + [None] * (-len(answers) % width)
        argument = excel_range([padded[i:i + width] for i in range(0, len(padded), width)])
    expected = spec_score(answers)
    assert question_score(answers) == expected
    assert CCPM_SCORE(argument) == ("" if expected is None else expected)
    assert CCPM_STATUS(table([[CCPM_SCORE(argument)]])) == status_for(expected) \
        == spec_status(expected)


@given(st.one_of(st.none(), st.floats(0, 100, allow_nan=False), st.integers(0, 100)))
def test_random_scores_give_the_domain_status(score):
    cell = None if score is None else float(score)
    assert CCPM_STATUS(table([[cell]])) == status_for(cell) == spec_status(cell)
