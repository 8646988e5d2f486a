"""The question bank: the questions asked, the scales they are answered on, and the bank
read from the workbook's tables with what is wrong with them."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from clusterbook.domain.ccpm.located import place_of
from clusterbook.domain.ccpm.scales import (
    ANY_DEFAULT,
    Scale,
    as_code,
    default_scales,
    normalise_label,
)
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.values import clean_text, is_blank, is_only_spaces
from clusterbook.forms.ccpm_bank import (
    DEFAULT_QUESTIONS,
    FUNCTIONS,
    NO_SCORE_LABELS,
    SUB_FUNCTIONS,
    Question,
    Role,
    ScaleName,
)


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
    bank_scales.setdefault(ScaleName.COMMENT, default_scales()[ScaleName.COMMENT])
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
            scale_name = ANY_DEFAULT.name  # no scale given: any of the default answers
            bank_scales.setdefault(scale_name, ANY_DEFAULT)
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
                                    **place_of(row, column)))
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
    **dict.fromkeys(("yesno", "yn", "binary", "boolean"), ScaleName.YES_NO),
    **dict.fromkeys(("frequency", "freq", "often", "howoften"), ScaleName.FREQUENCY),
    **dict.fromkeys(("agreement", "agree", "likert", "agreedisagree"), ScaleName.AGREEMENT),
    **dict.fromkeys(("comment", "comments", "text", "freetext", "open", "opentext"),
                    ScaleName.COMMENT),
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


def _asked_of(value: object) -> Role | None:
    text = normalise_label(value)
    if not text or text.startswith("both") or text in ("all", "coordinator and partner",
                                                        "coordinator and partners"):
        return Role.BOTH
    if text.startswith(("coord", "cluster coord")):
        return Role.COORDINATOR
    if text.startswith(("partner", "cluster partner")):
        return Role.PARTNER
    return None


def _scales_from_table(table: pd.DataFrame, findings: list[Finding]) -> dict[str, Scale]:
    codes: dict[str, list[tuple[str, int]]] = defaultdict(list)
    no_score: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in table.to_dict("records"):
        name, label = clean_text(row.get("scale")), clean_text(row.get("label"))
        if not name and not label:
            continue
        where = place_of(row, "code")
        if not name or not label:
            findings.append(Finding(Severity.ERROR, "ccpm-scale", "a scale row needs both the "
                                    "scale's name and the answer", value=name or label,
                                    **place_of(row, "scale" if not name else "label")))
            continue
        name = names.setdefault(normalise_label(name), name)
        code_value = row.get("code")
        if is_blank(code_value) or is_only_spaces(code_value):
            no_score[name].append(label)
            continue
        code = as_code(code_value)
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
        if normalise_label(name) == normalise_label(ScaleName.COMMENT):
            scales[ScaleName.COMMENT] = default_scales()[ScaleName.COMMENT]
            continue
        extra = tuple(label for label in no_score[name]
                      if normalise_label(label) not in map(normalise_label, NO_SCORE_LABELS))
        scales[name] = Scale(name, tuple(codes[name]), NO_SCORE_LABELS + extra)
        if not codes[name]:
            findings.append(Finding(Severity.ERROR, "ccpm-scale", f"scale {name} has no answer "
                                    f"with a code", value=name))
    return scales
