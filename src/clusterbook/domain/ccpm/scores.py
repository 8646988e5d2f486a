"""Scores and bands: a question's score, a function's score (the median of respondents'
means), computed exactly, and the status band of a score."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Final

from clusterbook.domain.ccpm.scales import HIGHEST_CODE, Scale, scale_named
from clusterbook.forms.ccpm_bank import CcpmStatus

#: Scores are given to this many decimals (the band is decided on the exact value).
SCORE_DECIMALS: Final = 9
#: Points per code: a mean code of 4 is 100 %.
POINTS_PER_CODE: Final = 25
#: Upper band limits: above 75 Good, above 50 Satisfactory, above 25 Unsatisfactory.
GOOD_ABOVE: Final = 75
SATISFACTORY_ABOVE: Final = 50
UNSATISFACTORY_ABOVE: Final = 25
#: A question at or below this score is a constraint; at 100 it is good practice.
CONSTRAINT_AT_MOST: Final = 75
GOOD_PRACTICE: Final = 100
#: Statuses that call for action and an earlier next CCPM.
NEEDS_ACTION: Final = (CcpmStatus.UNSATISFACTORY, CcpmStatus.WEAK)

#: An exact value: a whole code, or a fraction (a mean).
Exact = int | Fraction


def exact_mean(values: Sequence[Exact]) -> Fraction:
    """The exact mean of codes or means."""
    # Whole codes add as integers: one fraction per mean, not one per addition.
    return Fraction(sum(values)) / len(values)


def median(values: Sequence[Fraction]) -> Fraction:
    """The exact median; of an even number, the mean of the two middle ones."""
    # Means have small denominators, so their floats order them exactly, and fast.
    ordered = sorted(values, key=float)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def score_to_float(score: Fraction | None) -> float | None:
    """An exact score as the float the tool reports (:data:`SCORE_DECIMALS` decimals)."""
    return None if score is None else round(float(score), SCORE_DECIMALS)


def score_text(score: float | None, decimals: int = 1) -> str:
    """A score as books show it, rounded half up like Excel ('86.3 %' for 86.25); 'no answers'
    for None."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "no answers"
    step = Decimal(1).scaleb(-decimals)
    return f"{Decimal(repr(float(score))).quantize(step, ROUND_HALF_UP)} %"


def _codes(answers: Iterable[object], scale: Scale | str | None) -> list[Fraction]:
    scale_object = scale_named(scale)
    codes: list[Fraction] = []
    for answer in answers:
        if isinstance(answer, int | float) and not isinstance(answer, bool) \
                and not (isinstance(answer, float) and math.isnan(answer)):
            if not (float(answer).is_integer() and 0 <= answer <= HIGHEST_CODE):
                raise ValueError(f"{answer:g} is not a code from 0 to {HIGHEST_CODE}")
            codes.append(Fraction(int(answer)))
            continue
        code, _ = scale_object.read(answer)
        if code is not None:
            codes.append(Fraction(code))
    return codes


def question_score(answers: Iterable[object], scale: Scale | str | None = None) -> float | None:
    """A question's score: the mean code of the answers that carry a score, times 25.

    ``answers`` may be labels ('Agree') or codes (3); blanks, "Don't know" and "Not applicable"
    are left out. None when no answer carries a score. 100 means every respondent gave the
    best answer.
    """
    codes = _codes(answers, scale)
    return score_to_float(exact_mean(codes) * POINTS_PER_CODE) if codes else None


def group_score(rows: Iterable[Iterable[object]], scale: Scale | str | None = None
                ) -> float | None:
    """The score of a function or sub-function from its answers, one row per respondent.

    Each respondent's mean code over the items they answered; the median of those means over
    the respondents who answered any; times 25. None when nobody answered.
    """
    means = [exact_mean(codes) for codes in (_codes(row, scale) for row in rows) if codes]
    return score_to_float(median(means) * POINTS_PER_CODE) if means else None


def status_for(score: float | Fraction | None) -> CcpmStatus:
    """The band of a score in percent: above 75 Good, above 50 up to 75 Satisfactory, above 25
    up to 50 Unsatisfactory, 25 or less Weak; None (no answers) is Not assessed."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return CcpmStatus.NOT_ASSESSED
    if not 0 <= score <= GOOD_PRACTICE:
        raise ValueError(f"{float(score):g} is not a score from 0 to 100")
    if score > GOOD_ABOVE:
        return CcpmStatus.GOOD
    if score > SATISFACTORY_ABOVE:
        return CcpmStatus.SATISFACTORY
    if score > UNSATISFACTORY_ABOVE:
        return CcpmStatus.UNSATISFACTORY
    return CcpmStatus.WEAK
