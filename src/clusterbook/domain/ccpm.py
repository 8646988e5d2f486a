"""CCPM rules: answer scales, scores, bands, question scores, good practice and constraints,
response rates: everything the preliminary report shows. The rest of the cycle (workshop
groups, Annex I checks, follow-up, the inter-cluster overview, the next due date) is in
``clusterbook.domain.ccpm_cycle``.

The rules are those of ``ccpm.md``. Where that page leaves a choice open, ClusterBook reads it
as follows (``docs/ccpm.md`` says the same to users):

* **Function and sub-function scores are computed alike and independently.** A function's score
  is the median over respondents of each respondent's mean code over *all* the function's
  items (its sub-functions' questions together); it is not an average or median of the
  sub-function scores.
* **A respondent is a respondent id.** Answers from the coordinator questionnaire and the
  partner questionnaire with the same id are one respondent: a coordinator who answered both
  counts once (as the coordinator). If that person answered the same question twice, the
  question counts once for them, with the mean of the two codes (a warning says so).
* **Median** of an even number of respondent means is the mean of the two middle ones.
* **Rounding.** Scores are computed exactly (fractions) and given to
  :data:`SCORE_DECIMALS` decimals; the band comes from the exact score, so 75 is exactly
  Satisfactory. Books show one decimal.
* **Good practice** is a question scoring exactly 100 %; a **constraint** one scoring 75 % or
  less. Questions nobody scored are neither.
* **Response rates** count partner respondents (the partner questionnaire) of each
  organisation type against the cluster description's partners of that type; the coordinator
  is not a partner respondent.
* **Workshop groups.** At most 6 groups, one function each, so with 30 or more participants
  functions 6 and 7 share a group (six groups); with fewer than 30, functions 4 and 5 and
  functions 6 and 7 share (five groups). Participants are dealt into groups so that
  organisation types and organisations mix.
* **Amended statuses.** The final status of a function is the amended one when the workshop
  recorded one, else the computed one; the computed one stays visible. The overview and the
  next due date use the final status.
* **Next CCPM due.** Protracted crisis: a year after this one. New emergency: the first 3 to 6
  months after onset, then yearly. In both, 6 months after this one when any function's final
  status is Weak or Unsatisfactory.

Everything here is pure: tables in and out, no files. Every problem in the data is a
:class:`~clusterbook.domain.findings.Finding` with its file, sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cached_property
from typing import Any, Final

import pandas as pd

from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.values import clean_text, is_blank, is_only_spaces
from clusterbook.forms.ccpm_bank import (
    AGREEMENT,
    BOTH,
    COMMENT,
    COORDINATOR,
    DEFAULT_QUESTIONS,
    DEFAULT_SCALES,
    DONT_KNOW,
    FREQUENCY,
    FUNCTIONS,
    GOOD,
    NO_SCORE_LABELS,
    NOT_APPLICABLE,
    NOT_ASSESSED,
    ORGANISATION_TYPES,
    PARTNER,
    PROTRACTED,
    SATISFACTORY,
    STATUSES,
    SUB_FUNCTIONS,
    UNSATISFACTORY,
    WEAK,
    YES_NO,
    Question,
)

#: Scores are given to this many decimals (the band is decided on the exact value).
SCORE_DECIMALS: Final = 9
#: Points per code: a mean code of 4 is 100 %.
POINTS_PER_CODE: Final = 25
HIGHEST_CODE: Final = 4
#: Upper band limits: above 75 Good, above 50 Satisfactory, above 25 Unsatisfactory.
GOOD_ABOVE: Final = 75
SATISFACTORY_ABOVE: Final = 50
UNSATISFACTORY_ABOVE: Final = 25
#: A question at or below this score is a constraint; at 100 it is good practice.
CONSTRAINT_AT_MOST: Final = 75
GOOD_PRACTICE: Final = 100
#: Statuses that call for action and an earlier next CCPM.
NEEDS_ACTION: Final = (UNSATISFACTORY, WEAK)
#: Statuses not counted as an organisation type ('Not stated' has no denominator).
NOT_STATED: Final = "Not stated"

__all__ = [
    "FUNCTIONS", "STATUSES", "SUB_FUNCTIONS", "Assessment", "QuestionBank", "Scale",
    "answer_code", "assess", "bank_from_tables", "default_bank", "default_scales",
    "group_score", "normalise_label", "organisation_type", "question_score", "response_rates",
    "score_text", "score_to_float", "status_for",
]

# ------------------------------------------------------------------------- answers, scales

_APOSTROPHES: Final = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_SPACES: Final = re.compile(r"\s+")
_NO_SCORE_ALIASES: Final = {
    "don't know": DONT_KNOW, "dont know": DONT_KNOW, "do not know": DONT_KNOW,
    "i don't know": DONT_KNOW, "dk": DONT_KNOW, "unknown": DONT_KNOW,
    "not applicable": NOT_APPLICABLE, "n/a": NOT_APPLICABLE, "na": NOT_APPLICABLE,
    "n.a.": NOT_APPLICABLE, "not relevant": NOT_APPLICABLE,
}


def normalise_label(value: object) -> str:
    """An answer as compared: trimmed, single-spaced, case-folded, straight apostrophes.

    'Fairly  Often ' and 'fairly often' are the same answer; so are 'Don’t know' and
    "don't know".
    """
    text = clean_text(value).translate(_APOSTROPHES)
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class Scale:
    """An answer scale: each label with its code 0..4, and the labels that carry no score.

    ``free_text`` scales (comments) accept any text and never score.
    """

    name: str
    codes: tuple[tuple[str, int], ...]
    no_score: tuple[str, ...] = NO_SCORE_LABELS
    free_text: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        """Every answer of the scale, scored ones first (worst to best as given)."""
        return tuple(label for label, _ in self.codes) + self.no_score

    @cached_property
    def _lookup(self) -> dict[str, tuple[int | None, str]]:
        """Every known answer, as compared, with its code and the scale's own label."""
        lookup: dict[str, tuple[int | None, str]] = {
            key: (None, label) for key, label in _NO_SCORE_ALIASES.items()}
        for label in self.no_score:
            lookup[normalise_label(label)] = (None, label)
        for label, code in reversed(self.codes):
            lookup[normalise_label(label)] = (code, label)
        return lookup

    def describe(self) -> str:
        """'Yes, No, Don't know, Not applicable'."""
        return ", ".join(self.labels)

    def read(self, answer: object) -> tuple[int | None, str]:
        """The code and the scale's own label of an answer; code None when it carries no score.

        Blank answers give (None, ''). A number that is one of the scale's codes is read as
        that code (survey tools may export codes instead of labels). Raises ValueError with a
        sentence for anything else.
        """
        if is_blank(answer) or is_only_spaces(answer):
            return None, ""
        if self.free_text:
            return None, clean_text(answer)
        known = self._lookup.get(normalise_label(answer))
        if known is not None:
            return known
        number = _as_code(answer)
        if number is not None:
            for label, value in self.codes:
                if value == number:
                    return number, label
        raise ValueError(f"'{clean_text(answer)}' is not an answer on the {self.name} scale "
                         f"({self.describe()})")


def _as_code(answer: object) -> int | None:
    if isinstance(answer, bool):
        return None
    if isinstance(answer, int | float):
        number = float(answer)
    else:
        try:
            number = float(clean_text(answer))
        except ValueError:
            return None
    if math.isnan(number) or not number.is_integer() or not 0 <= number <= HIGHEST_CODE:
        return None
    return int(number)


def default_scales() -> dict[str, Scale]:
    """The default scales by name: Yes/No, Frequency, Agreement, and Comment (free text)."""
    scales = {name: Scale(name, codes) for name, codes in DEFAULT_SCALES.items()}
    scales[COMMENT] = Scale(COMMENT, (), (), free_text=True)
    return scales


_ANY_DEFAULT: Final = Scale("Default answers", tuple(
    (label, code) for codes in DEFAULT_SCALES.values() for label, code in codes))


def _scale_named(scale: Scale | str | None) -> Scale:
    if scale is None:
        return _ANY_DEFAULT
    if isinstance(scale, Scale):
        return scale
    scales = default_scales()
    for name, candidate in scales.items():
        if normalise_label(name) == normalise_label(scale):
            return candidate
    raise ValueError(f"'{scale}' is not a scale ({', '.join(scales)})")


def answer_code(label: object, scale: Scale | str | None = None) -> int | None:
    """The code 0..4 of an answer, or None when it carries no score.

    None for "Don't know", "Not applicable" and blanks (they are left out, never zero). With no
    ``scale``, every default label is known (Yes 4, No 0; Never 0 .. Very regularly 4; Strongly
    disagree 0 .. Strongly agree 4), and so are the codes 0..4 themselves. ``scale`` is a
    :class:`Scale` or the name of a default scale ('Yes/No', 'Frequency', 'Agreement').
    Raises ValueError naming the scale's answers for a label it does not know.
    """
    code, _ = _scale_named(scale).read(label)
    return code


#: An exact value: a whole code, or a fraction (a mean).
Exact = int | Fraction


def _exact_mean(values: Sequence[Exact]) -> Fraction:
    # Whole codes add as integers: one fraction per mean, not one per addition.
    return Fraction(sum(values)) / len(values)


def _median(values: Sequence[Fraction]) -> Fraction:
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
    scale_object = _scale_named(scale)
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
    return score_to_float(_exact_mean(codes) * POINTS_PER_CODE) if codes else None


def group_score(rows: Iterable[Iterable[object]], scale: Scale | str | None = None
                ) -> float | None:
    """The score of a function or sub-function from its answers, one row per respondent.

    Each respondent's mean code over the items they answered; the median of those means over
    the respondents who answered any; times 25. None when nobody answered.
    """
    means = [_exact_mean(codes) for codes in (_codes(row, scale) for row in rows) if codes]
    return score_to_float(_median(means) * POINTS_PER_CODE) if means else None


def status_for(score: float | Fraction | None) -> str:
    """The band of a score in percent: above 75 Good, above 50 up to 75 Satisfactory, above 25
    up to 50 Unsatisfactory, 25 or less Weak; None (no answers) is Not assessed."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return NOT_ASSESSED
    if not 0 <= score <= GOOD_PRACTICE:
        raise ValueError(f"{float(score):g} is not a score from 0 to 100")
    if score > GOOD_ABOVE:
        return GOOD
    if score > SATISFACTORY_ABOVE:
        return SATISFACTORY
    if score > UNSATISFACTORY_ABOVE:
        return UNSATISFACTORY
    return WEAK


# --------------------------------------------------------------------------- question bank

@dataclass(frozen=True)
class QuestionBank:
    """The questions asked and the scales they are answered on."""

    questions: tuple[Question, ...]
    scales: Mapping[str, Scale]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {q.question_id.casefold(): q
                                             for q in self.questions})

    def find(self, question_id: object) -> Question | None:
        """The question with this id (case does not matter), or None."""
        by_key: dict[str, Question] = self.__dict__["_by_key"]
        return by_key.get(clean_text(question_id).casefold())

    def scale_of(self, question: Question) -> Scale:
        return self.scales[question.scale]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(question.question_id for question in self.questions)

    def groups(self) -> list[tuple[str, str, str]]:
        """Every function and sub-function to score, in report order:
        (id, name, level) with level 'function' or 'sub-function'."""
        extra = sorted({q.sub_function for q in self.questions
                        if q.sub_function and q.sub_function not in SUB_FUNCTIONS},
                       key=id_key)
        subs = [*SUB_FUNCTIONS, *extra]
        rows: list[tuple[str, str, str]] = []
        for function, name in FUNCTIONS.items():
            rows.append((function, name, "function"))
            for sub in subs:
                if sub.split(".")[0] == function:
                    rows.append((sub, SUB_FUNCTIONS.get(sub, f"Sub-function {sub}"),
                                 "sub-function"))
        return rows

    def items_of(self, group: str) -> list[Question]:
        """The scored questions of a function ('3') or sub-function ('3.2')."""
        if "." in group:
            return [q for q in self.questions if q.scored and q.sub_function == group]
        return [q for q in self.questions if q.scored and q.function == group]


def id_key(text: str) -> tuple[int, ...]:
    """Sort key of a function or sub-function id: '2' < '2.3' < '10'."""
    return tuple(int(part) if part.isdigit() else 0 for part in text.split("."))


def default_bank() -> QuestionBank:
    """ClusterBook's default question bank and scales."""
    return QuestionBank(DEFAULT_QUESTIONS, default_scales())


def _cell(row: Mapping[Hashable, Any], column: str) -> str:
    """The cell of a field in an input row: rows carry '<field>@cell' columns."""
    value = row.get(f"{column}@cell", "")
    return "" if is_blank(value) else str(value)


def _where(row: Mapping[Hashable, Any], column: str) -> dict[str, str]:
    return {"file": clean_text(row.get("file", "")), "sheet": clean_text(row.get("sheet", "")),
            "cell": _cell(row, column)}


def bank_from_tables(questions: pd.DataFrame, scales: pd.DataFrame | None = None
                     ) -> tuple[QuestionBank, list[Finding]]:
    """A question bank from its tables, and what is wrong with them.

    ``questions`` has columns question_id, function, sub_function, asked_of, text, scale;
    ``scales`` (None: the defaults) has scale, label, code (empty code: no score). Rows may
    carry ``file``, ``sheet`` and '<column>@cell' columns, used to locate findings. Questions
    with an error are left out of the bank; the findings say which and why.
    """
    findings: list[Finding] = []
    bank_scales = default_scales() if scales is None else _scales_from_table(scales, findings)
    bank_scales.setdefault(COMMENT, default_scales()[COMMENT])
    kept: list[Question] = []
    seen: set[str] = set()
    for row in questions.to_dict("records"):
        problem = ""
        column = ""
        question_id = clean_text(row.get("question_id"))
        sub_function = _group_id(row.get("sub_function"), sub=True)
        function = _group_id(row.get("function")) or sub_function.split(".")[0]
        if sub_function == function:
            sub_function = ""  # the function written again where the sub-function goes
        asked_of = _asked_of(row.get("asked_of"))
        text = clean_text(row.get("text"))
        scale_name = clean_text(row.get("scale"))
        if not scale_name:
            scale_name = _ANY_DEFAULT.name  # no scale given: any of the default answers
            bank_scales.setdefault(scale_name, _ANY_DEFAULT)
        scale = _known_name(scale_name, bank_scales)
        if not any((question_id, function, sub_function, text)):
            continue
        if not question_id:
            problem, column = "a question has no id", "question_id"
        elif question_id.casefold() in seen:
            problem, column = f"question id '{question_id}' is used twice", "question_id"
        elif function not in FUNCTIONS:
            problem, column = (f"question {question_id}: function '{function}' is not one of "
                               f"1 to 7", "function")
        elif sub_function and not re.fullmatch(r"\d+\.\d+", sub_function):
            problem, column = (f"question {question_id}: sub-function '{sub_function}' should "
                               f"look like {function}.1", "sub_function")
        elif sub_function and sub_function.split(".")[0] != function:
            problem, column = (f"question {question_id}: sub-function '{sub_function}' is not "
                               f"part of function {function}", "sub_function")
        elif asked_of is None:
            problem, column = (f"question {question_id}: '{clean_text(row.get('asked_of'))}' "
                               f"should be Coordinator, Partner or Both", "asked_of")
        elif scale is None:
            problem, column = (f"question {question_id}: scale '{clean_text(row.get('scale'))}' "
                               f"is not on the Scales sheet ({', '.join(bank_scales)})", "scale")
        if problem:
            findings.append(Finding(Severity.ERROR, "ccpm-bank", problem + "; the question is "
                                    "left out", value=clean_text(row.get(column)),
                                    **_where(row, column)))
            continue
        assert asked_of is not None and scale is not None
        seen.add(question_id.casefold())
        kept.append(Question(question_id, function, sub_function, asked_of, text, scale))
    if not any(question.scored for question in kept):
        findings.append(Finding(Severity.ERROR, "ccpm-bank", "the question bank has no question "
                                "with a score"))
    return QuestionBank(tuple(kept), bank_scales), findings


def _name_key(name: object) -> str:
    """A scale name reduced to letters and digits: 'Yes / No' and 'yes_no' are one name."""
    return re.sub(r"[\W_]+", "", normalise_label(name))


#: Other names people give the default scales.
_SCALE_ALIASES: Final = {
    "yesno": YES_NO, "yn": YES_NO, "binary": YES_NO, "boolean": YES_NO,
    "frequency": FREQUENCY, "freq": FREQUENCY, "often": FREQUENCY, "howoften": FREQUENCY,
    "agreement": AGREEMENT, "agree": AGREEMENT, "likert": AGREEMENT, "agreedisagree": AGREEMENT,
    "comment": COMMENT, "comments": COMMENT, "text": COMMENT, "freetext": COMMENT,
    "open": COMMENT, "opentext": COMMENT,
}


def _known_name(name: str, scales: Mapping[str, Scale]) -> str | None:
    for known in scales:
        if _name_key(known) == _name_key(name):
            return known
    alias = _SCALE_ALIASES.get(_name_key(name))
    return alias if alias in scales else None


def _group_id(value: object, *, sub: bool = False) -> str:
    """A function ('3') or sub-function ('3.2') id as people write it: 3, 3.0, 'Function 3',
    'F3', '3. Planning ...', '3.2 Common standards'."""
    text = clean_text(value)
    pattern = r"^\D{0,20}?(\d+\.\d+)" if sub else r"^\D{0,20}?(\d+)(?:\.0)?(?!\.?\d)"
    match = re.match(pattern, text)
    return match.group(1) if match else text


def _asked_of(value: object) -> str | None:
    text = normalise_label(value)
    if not text or text.startswith("both") or text in ("all", "coordinator and partner",
                                                        "coordinator and partners"):
        return BOTH
    if text.startswith(("coord", "cluster coord")):
        return COORDINATOR
    if text.startswith(("partner", "cluster partner")):
        return PARTNER
    return None


def _scales_from_table(table: pd.DataFrame, findings: list[Finding]) -> dict[str, Scale]:
    codes: dict[str, list[tuple[str, int]]] = defaultdict(list)
    no_score: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in table.to_dict("records"):
        name, label = clean_text(row.get("scale")), clean_text(row.get("label"))
        if not name and not label:
            continue
        where = _where(row, "code")
        if not name or not label:
            findings.append(Finding(Severity.ERROR, "ccpm-scale", "a scale row needs both the "
                                    "scale's name and the answer", value=name or label,
                                    **_where(row, "scale" if not name else "label")))
            continue
        name = names.setdefault(normalise_label(name), name)
        code_value = row.get("code")
        if is_blank(code_value) or is_only_spaces(code_value):
            no_score[name].append(label)
            continue
        code = _as_code(code_value)
        if code is None:
            findings.append(Finding(Severity.ERROR, "ccpm-scale", f"scale {name}: the code of "
                                    f"'{label}' must be a whole number from 0 to 4",
                                    value=clean_text(code_value), **where))
            continue
        if any(normalise_label(label) == normalise_label(known) for known, _ in codes[name]):
            findings.append(Finding(Severity.ERROR, "ccpm-scale", f"scale {name}: the answer "
                                    f"'{label}' is listed twice", value=label, **where))
            continue
        codes[name].append((label, code))
    scales: dict[str, Scale] = {}
    for name in names.values():
        if normalise_label(name) == normalise_label(COMMENT):
            scales[COMMENT] = default_scales()[COMMENT]
            continue
        extra = tuple(label for label in no_score[name]
                      if normalise_label(label) not in map(normalise_label, NO_SCORE_LABELS))
        scales[name] = Scale(name, tuple(codes[name]), NO_SCORE_LABELS + extra)
        if not codes[name]:
            findings.append(Finding(Severity.ERROR, "ccpm-scale", f"scale {name} has no answer "
                                    f"with a code", value=name))
    return scales


# ------------------------------------------------------------------------------- responses

_ORGANISATION_ALIASES: Final = {
    "un agency": "UN agency", "un": "UN agency", "un agencies": "UN agency",
    "united nations": "UN agency", "united nations agency": "UN agency",
    "un organisation": "UN agency", "un organization": "UN agency",
    "ingo": "INGO", "international ngo": "INGO", "international non-governmental organisation":
    "INGO", "international non-governmental organization": "INGO", "international": "INGO",
    "nngo": "NNGO", "national ngo": "NNGO", "local ngo": "NNGO", "lngo": "NNGO",
    "national or local ngo": "NNGO", "local": "NNGO", "national/local ngo": "NNGO",
    "national non-governmental organisation": "NNGO",
    "national non-governmental organization": "NNGO", "cbo": "NNGO",
    "national authority": "National authority", "national authorities": "National authority",
    "government": "National authority", "gov": "National authority",
    "ministry": "National authority", "authority": "National authority",
    "authorities": "National authority", "government authority": "National authority",
    "donor": "Donor", "donors": "Donor", "other": "Other", "others": "Other",
}


def organisation_type(value: object) -> str | None:
    """The organisation type an answer means ('International NGO' -> 'INGO'); '' for a blank,
    None for text that is none of the types."""
    key = normalise_label(value)
    if not key:
        return ""
    for known in ORGANISATION_TYPES:
        if key == known.casefold():
            return known
    return _ORGANISATION_ALIASES.get(key)


def _role(value: object) -> str | None:
    text = normalise_label(value)
    if not text:
        return ""
    if "coordinat" in text or text in ("cc", "coord", "co-lead", "colead", "co lead"):
        return COORDINATOR
    if text.startswith("partner") or text in ("member", "cluster partner"):
        return PARTNER
    return None


class _Problems:
    """Findings grouped: one per distinct problem, at its first cell, saying how often."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[Finding, int]] = {}

    def add(self, key: str, finding: Finding) -> None:
        group = (finding.rule, key)
        if group in self._seen:
            first, count = self._seen[group]
            self._seen[group] = (first, count + 1)
        else:
            self._seen[group] = (finding, 1)

    def findings(self) -> list[Finding]:
        result = []
        for finding, count in self._seen.values():
            if count > 1:
                finding = Finding(finding.severity, finding.rule,
                                  f"{finding.message} ({count} cells like this; the first is "
                                  f"shown)", finding.file, finding.sheet, finding.cell,
                                  finding.value)
            result.append(finding)
        return result


#: Columns of the answers table that :func:`assess` reads.
ANSWER_COLUMNS: Final = ("respondent_id", "respondent_role", "organisation_type", "question_id",
                         "answer")


@dataclass
class Assessment:
    """Everything the preliminary report shows, as tables.

    ``scores``: one row per function and sub-function (function, name, level, score, status,
    respondents). ``questions``: one row per question (score, status, answered, good_practice,
    constraint, distribution). ``distribution``: question_id, label, code, count.
    ``comments``: function, respondent_role, organisation_type, comment. ``respondents``: one
    row per respondent (respondent_id, respondent_role, organisation_type, answered).
    ``response_rates``: per organisation type. ``function_respondents``: partner respondents
    per function and organisation type. ``findings``: what was wrong with the data.
    """

    bank: QuestionBank
    scores: pd.DataFrame
    questions: pd.DataFrame
    distribution: pd.DataFrame
    comments: pd.DataFrame
    respondents: pd.DataFrame
    response_rates: pd.DataFrame
    function_respondents: pd.DataFrame
    findings: list[Finding] = field(default_factory=list)

    @property
    def function_scores(self) -> pd.DataFrame:
        """The seven functions' rows of :attr:`scores`."""
        return self.scores[self.scores["level"] == "function"].reset_index(drop=True)

    @property
    def good_practice(self) -> pd.DataFrame:
        """Questions that scored 100 %."""
        return self.questions[self.questions["good_practice"]].reset_index(drop=True)

    @property
    def constraints(self) -> pd.DataFrame:
        """Questions that scored 75 % or less, lowest first."""
        chosen = self.questions[self.questions["constraint"]]
        return chosen.sort_values("score", kind="stable").reset_index(drop=True)


@dataclass
class _Respondent:
    respondent_id: str
    roles: set[str] = field(default_factory=set)
    organisation_type: str = ""
    answered_coordinator_only: bool = False


def assess(answers: pd.DataFrame, bank: QuestionBank | None = None, *,
           partners: Mapping[str, int] | None = None) -> Assessment:
    """Score a CCPM survey.

    ``answers`` is the long answers table: one row per answer with the columns of
    :data:`ANSWER_COLUMNS`, and optionally ``file``, ``sheet`` and '<column>@cell' columns that
    locate each value for the findings. ``partners`` is the cluster description's number of
    partners per organisation type (the response-rate denominators).

    Unknown question ids and answers that are on no scale are findings and are left out,
    never counted as zero.
    """
    bank = bank or default_bank()
    problems = _Problems()
    respondents: dict[str, _Respondent] = {}
    # (respondent, question id) -> codes given
    item_codes: dict[tuple[str, str], list[int]] = defaultdict(list)
    first_rows: dict[tuple[str, str], Mapping[Hashable, Any]] = {}
    noted: set[tuple[object, ...]] = set()
    distribution: dict[tuple[str, str], int] = defaultdict(int)
    comments: list[dict[str, str]] = []
    for row in answers.to_dict("records"):
        respondent_id = clean_text(row.get("respondent_id"))
        question_text = clean_text(row.get("question_id"))
        if not respondent_id:
            if not question_text and is_blank(row.get("answer")):
                continue
            problems.add("no-id", Finding(Severity.ERROR, "ccpm-respondent",
                                          "an answer has no respondent id; it is left out",
                                          **_where(row, "respondent_id")))
            continue
        person = respondents.setdefault(respondent_id, _Respondent(respondent_id))
        said = (respondent_id, row.get("respondent_role"), row.get("organisation_type"))
        if said not in noted:  # each respondent's role and type are read once per spelling
            noted.add(said)
            _note_respondent(person, row, problems)
        question = bank.find(question_text)
        if question is None:
            problems.add(f"q:{question_text.casefold()}", Finding(
                Severity.ERROR, "ccpm-unknown-question",
                f"question id '{question_text}' is not in the question bank; its answers are "
                f"left out" if question_text else "an answer has no question id; it is left "
                                                   "out",
                value=question_text, **_where(row, "question_id")))
            continue
        scale = bank.scale_of(question)
        try:
            code, label = scale.read(row.get("answer"))
        except ValueError as error:
            problems.add(f"a:{question.question_id}:{normalise_label(row.get('answer'))}",
                         Finding(Severity.ERROR, "ccpm-unknown-answer",
                                 f"question {question.question_id}: {error}; the answer is left "
                                 f"out, not counted as zero",
                                 value=clean_text(row.get("answer")), **_where(row, "answer")))
            continue
        if not label:
            continue
        if scale.free_text:
            comments.append({"respondent_id": respondent_id, "function": question.function,
                             "question_id": question.question_id, "comment": label})
            continue
        distribution[(question.question_id, label)] += 1
        if question.asked_of == COORDINATOR:
            person.answered_coordinator_only = True
        if code is not None:
            key = (respondent_id, question.question_id)
            item_codes[key].append(code)
            first_rows.setdefault(key, row)
    roster = _resolve_respondents(respondents)
    _check_asked_of(bank, item_codes, first_rows, respondents, roster, problems)
    item_values = _item_values(bank, item_codes, problems)
    scores = _scores(bank, item_values)
    questions = _question_table(bank, item_values, distribution)
    findings = problems.findings()
    rates, rate_findings = response_rates(roster, partners)
    findings.extend(rate_findings)
    comment_table = _comment_table(comments, roster)
    return Assessment(
        bank=bank, scores=scores, questions=questions,
        distribution=_distribution_table(bank, distribution), comments=comment_table,
        respondents=_answered(roster, item_values), response_rates=rates,
        function_respondents=_function_respondents(bank, item_values, roster),
        findings=findings)


def _note_respondent(person: _Respondent, row: Mapping[Hashable, Any],
                     problems: _Problems) -> None:
    role = _role(row.get("respondent_role"))
    if role is None:
        problems.add(f"role:{normalise_label(row.get('respondent_role'))}", Finding(
            Severity.ERROR, "ccpm-respondent",
            f"respondent role '{clean_text(row.get('respondent_role'))}' should be Coordinator "
            f"or Partner; the role is taken from the questions answered",
            value=clean_text(row.get("respondent_role")), **_where(row, "respondent_role")))
    elif role:
        person.roles.add(role)
    kind = organisation_type(row.get("organisation_type"))
    raw = clean_text(row.get("organisation_type"))
    if kind is None:
        problems.add(f"org:{normalise_label(raw)}", Finding(
            Severity.WARNING, "ccpm-organisation-type",
            f"organisation type '{raw}' is not one of {', '.join(ORGANISATION_TYPES)}; it is "
            f"counted as Other", value=raw, **_where(row, "organisation_type")))
        kind = "Other"
    if kind and person.organisation_type and kind != person.organisation_type:
        problems.add(f"orgs:{person.respondent_id}", Finding(
            Severity.WARNING, "ccpm-organisation-type",
            f"respondent {person.respondent_id} is given two organisation types "
            f"({person.organisation_type}, {kind}); the first is used", value=raw,
            **_where(row, "organisation_type")))
    elif kind:
        person.organisation_type = kind


def _resolve_respondents(respondents: Mapping[str, _Respondent]) -> pd.DataFrame:
    rows = []
    for person in respondents.values():
        if COORDINATOR in person.roles:
            role = COORDINATOR  # a coordinator who also filled the partner questionnaire
        elif person.roles:
            role = PARTNER
        else:
            role = COORDINATOR if person.answered_coordinator_only else PARTNER
        rows.append({"respondent_id": person.respondent_id, "respondent_role": role,
                     "organisation_type": person.organisation_type or NOT_STATED})
    return pd.DataFrame(rows, columns=["respondent_id", "respondent_role", "organisation_type"])


def _check_asked_of(bank: QuestionBank, item_codes: Mapping[tuple[str, str], list[int]],
                    first_rows: Mapping[tuple[str, str], Mapping[Hashable, Any]],
                    respondents: Mapping[str, _Respondent], roster: pd.DataFrame,
                    problems: _Problems) -> None:
    roles = dict(zip(roster["respondent_id"], roster["respondent_role"], strict=True))
    for key in item_codes:
        respondent_id, question_id = key
        question = bank.find(question_id)
        assert question is not None
        role = roles.get(respondent_id)
        if question.asked_of == COORDINATOR and role == PARTNER:
            problems.add(f"asked:{question_id}", Finding(
                Severity.WARNING, "ccpm-asked-of",
                f"question {question_id} is for the coordinator, but partner "
                f"{respondent_id} answered it; the answer is counted", value=question_id,
                **_where(first_rows[key], "answer")))
        elif question.asked_of == PARTNER and role == COORDINATOR \
                and PARTNER not in respondents[respondent_id].roles:
            problems.add(f"asked:{question_id}", Finding(
                Severity.WARNING, "ccpm-asked-of",
                f"question {question_id} is for partners, but the coordinator "
                f"{respondent_id} answered it; the answer is counted", value=question_id,
                **_where(first_rows[key], "answer")))


def _item_values(bank: QuestionBank, item_codes: Mapping[tuple[str, str], list[int]],
                 problems: _Problems) -> dict[tuple[str, str], Exact]:
    values: dict[tuple[str, str], Exact] = {}
    for (respondent_id, question_id), codes in item_codes.items():
        if len(codes) > 1:
            question = bank.find(question_id)
            assert question is not None
            scale = bank.scale_of(question)
            given = ", ".join(_label_of(scale, code) for code in codes)
            if len(set(codes)) > 1:
                problems.add(f"twice:{respondent_id}:{question_id}", Finding(
                    Severity.WARNING, "ccpm-answered-twice",
                    f"respondent {respondent_id} answered question {question_id} more than once "
                    f"({given}); it counts once, with the mean code", value=question_id))
        values[(respondent_id, question_id)] = codes[0] if len(codes) == 1 else \
            _exact_mean(codes)
    return values


def _label_of(scale: Scale, code: int) -> str:
    return next((label for label, value in scale.codes if value == code), str(code))


def _scores(bank: QuestionBank, item_values: Mapping[tuple[str, str], Exact]
            ) -> pd.DataFrame:
    by_respondent: dict[str, dict[str, Exact]] = defaultdict(dict)
    for (respondent_id, question_id), value in item_values.items():
        by_respondent[respondent_id][question_id] = value
    rows = []
    for group, name, level in bank.groups():
        items = [q.question_id for q in bank.items_of(group)]
        means = []
        for answered in by_respondent.values():
            mine = [answered[item] for item in items if item in answered]
            if mine:
                means.append(_exact_mean(mine))
        exact = _median(means) * POINTS_PER_CODE if means else None
        rows.append({"function": group, "name": name, "level": level,
                     "score": score_to_float(exact), "status": status_for(exact),
                     "respondents": len(means), "questions": len(items)})
    frame = pd.DataFrame(rows)
    frame["score"] = frame["score"].astype("float64")
    return frame


def _question_table(bank: QuestionBank, item_values: Mapping[tuple[str, str], Exact],
                    distribution: Mapping[tuple[str, str], int]) -> pd.DataFrame:
    by_question: dict[str, list[Exact]] = defaultdict(list)
    for (_, question_id), value in item_values.items():
        by_question[question_id].append(value)
    rows = []
    for question in bank.questions:
        if not question.scored:
            continue
        values = by_question.get(question.question_id, [])
        exact = _exact_mean(values) * POINTS_PER_CODE if values else None
        scale = bank.scale_of(question)
        counts = [(label, distribution.get((question.question_id, label), 0))
                  for label in scale.labels]
        rows.append({
            "question_id": question.question_id, "function": question.function,
            "sub_function": question.sub_function, "asked_of": question.asked_of,
            "text": question.text, "scale": question.scale, "score": score_to_float(exact),
            "status": status_for(exact), "answered": len(values),
            "good_practice": exact is not None and exact == GOOD_PRACTICE,
            "constraint": exact is not None and exact <= CONSTRAINT_AT_MOST,
            "distribution": ", ".join(f"{label} {count}" for label, count in counts if count),
        })
    columns = ["question_id", "function", "sub_function", "asked_of", "text", "scale", "score",
               "status", "answered", "good_practice", "constraint", "distribution"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["score"] = frame["score"].astype("float64")
    frame["good_practice"] = frame["good_practice"].astype(bool)
    frame["constraint"] = frame["constraint"].astype(bool)
    return frame


def _distribution_table(bank: QuestionBank, distribution: Mapping[tuple[str, str], int]
                        ) -> pd.DataFrame:
    rows = []
    for question in bank.questions:
        if not question.scored:
            continue
        scale = bank.scale_of(question)
        codes = dict(scale.codes)
        for label in scale.labels:
            rows.append({"question_id": question.question_id, "label": label,
                         "code": codes.get(label),
                         "count": distribution.get((question.question_id, label), 0)})
    return pd.DataFrame(rows, columns=["question_id", "label", "code", "count"])


def _comment_table(comments: list[dict[str, str]], roster: pd.DataFrame) -> pd.DataFrame:
    people = roster.set_index("respondent_id")
    rows = [{"function": item["function"], "question_id": item["question_id"],
             "respondent_role": people.at[item["respondent_id"], "respondent_role"],
             "organisation_type": people.at[item["respondent_id"], "organisation_type"],
             "comment": item["comment"]} for item in comments]
    frame = pd.DataFrame(rows, columns=["function", "question_id", "respondent_role",
                                        "organisation_type", "comment"])
    return frame.sort_values("function", kind="stable", key=lambda s: s.map(id_key)
                             ).reset_index(drop=True)


def _answered(roster: pd.DataFrame, item_values: Mapping[tuple[str, str], Exact]
              ) -> pd.DataFrame:
    counts: dict[str, int] = defaultdict(int)
    for respondent_id, _ in item_values:
        counts[respondent_id] += 1
    frame = roster.copy()
    frame["answered"] = frame["respondent_id"].map(lambda rid: counts.get(rid, 0)).astype(int)
    return frame


def _type_order(kinds: Iterable[str]) -> list[str]:
    present = set(kinds)
    return [*ORGANISATION_TYPES, *([NOT_STATED] if NOT_STATED in present else [])]


def response_rates(respondents: pd.DataFrame, partners: Mapping[str, int] | None = None
                   ) -> tuple[pd.DataFrame, list[Finding]]:
    """Partner respondents and response rate per organisation type, with a total row.

    ``respondents`` has respondent_role and organisation_type per respondent; only partners
    count (the coordinator answers the coordinator questionnaire). ``rate`` is a percent, or
    NaN when the cluster description gives no partners of that type.
    """
    partners = dict(partners or {})
    findings: list[Finding] = []
    partner_rows = respondents[respondents["respondent_role"] == PARTNER]
    counts = partner_rows["organisation_type"].value_counts()
    rows: list[dict[str, Any]] = []
    for kind in _type_order(partner_rows["organisation_type"]):
        responded = int(counts.get(kind, 0))
        total = partners.get(kind)
        rate = 100.0 * responded / total if total else math.nan
        if total is not None and responded > total:
            findings.append(Finding(
                Severity.WARNING, "ccpm-response-rate",
                f"{responded} {kind} partners answered but the cluster description lists "
                f"{total}; check the partners per organisation type", value=str(total)))
        rows.append({"organisation_type": kind, "partners": total, "respondents": responded,
                     "rate": rate})
    known = [row for row in rows if row["partners"]]
    partners_total = sum(int(row["partners"]) for row in known)
    responded_total = len(partner_rows)
    # Respondents of a type the description gives no count for have no place in the
    # denominator: counting them would report more than 100 % of partners answering.
    uncounted = {row["organisation_type"]: row["respondents"] for row in rows
                 if not row["partners"] and row["respondents"]
                 and row["organisation_type"] != NOT_STATED}
    if partners_total and uncounted:
        kinds = ", ".join(f"{kind} ({count})" for kind, count in uncounted.items())
        findings.append(Finding(
            Severity.WARNING, "ccpm-response-rate",
            f"partners of types the cluster description gives no number for answered: "
            f"{kinds}; the response rate of all partners leaves them out, so add their "
            f"number to the cluster description", value=kinds))
    counted = responded_total - sum(uncounted.values())
    rows.append({"organisation_type": "All partners", "partners": partners_total or None,
                 "respondents": responded_total,
                 "rate": 100.0 * counted / partners_total if partners_total else math.nan})
    frame = pd.DataFrame(rows)
    frame["partners"] = frame["partners"].astype("Int64")
    frame["rate"] = frame["rate"].astype("float64")
    return frame, findings


def _function_respondents(bank: QuestionBank, item_values: Mapping[tuple[str, str], Exact],
                          roster: pd.DataFrame) -> pd.DataFrame:
    kinds = dict(zip(roster["respondent_id"], roster["organisation_type"], strict=True))
    roles = dict(zip(roster["respondent_id"], roster["respondent_role"], strict=True))
    answered: dict[str, set[str]] = defaultdict(set)
    for respondent_id, question_id in item_values:
        question = bank.find(question_id)
        assert question is not None
        answered[question.function].add(respondent_id)
    order = _type_order(roster["organisation_type"])
    rows = []
    for function in FUNCTIONS:
        people = answered.get(function, set())
        row: dict[str, object] = {"function": function}
        for kind in order:
            row[kind] = sum(1 for rid in people if roles[rid] == PARTNER and kinds[rid] == kind)
        row["Coordinator"] = sum(1 for rid in people if roles[rid] == COORDINATOR)
        row["All"] = len(people)
        rows.append(row)
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ClusterDescription:
    """The cluster description: who the cluster is, when this CCPM was held, what kind of
    crisis it works in, and its partners per organisation type (response-rate denominators)."""

    cluster: str = ""
    country: str = ""
    ccpm_date: dt.date | None = None
    crisis: str = PROTRACTED
    onset: dt.date | None = None
    coordinator: str = ""
    lead_agency: str = ""
    partners: Mapping[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """'Nutrition cluster, Country' as reports head their pages."""
        name = self.cluster or "Cluster"
        if "cluster" not in name.casefold():
            name += " cluster"
        return f"{name}, {self.country}" if self.country else name
