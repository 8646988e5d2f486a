"""The assessment of a survey: the long answers table in, everything the preliminary report
shows out (scores, question scores, answer distribution, comments, respondents, response
rates), with a finding for every problem in the data."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from clusterbook.domain.ccpm.bank import QuestionBank, default_bank, id_key
from clusterbook.domain.ccpm.located import place_of
from clusterbook.domain.ccpm.respondents import (
    NOT_STATED,
    organisation_type,
    response_rates,
    role_of,
    type_order,
)
from clusterbook.domain.ccpm.scales import Scale, normalise_label
from clusterbook.domain.ccpm.scores import (
    CONSTRAINT_AT_MOST,
    GOOD_PRACTICE,
    POINTS_PER_CODE,
    Exact,
    exact_mean,
    median,
    score_to_float,
    status_for,
)
from clusterbook.domain.findings import Finding, Severity
from clusterbook.domain.values import clean_text, is_blank
from clusterbook.forms.ccpm_bank import FUNCTIONS, ORGANISATION_TYPES, Role


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
                                          **place_of(row, "respondent_id")))
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
                value=question_text, **place_of(row, "question_id")))
            continue
        scale = bank.scale_of(question)
        try:
            code, label = scale.read(row.get("answer"))
        except ValueError as error:
            problems.add(f"a:{question.question_id}:{normalise_label(row.get('answer'))}",
                         Finding(Severity.ERROR, "ccpm-unknown-answer",
                                 f"question {question.question_id}: {error}; the answer is left "
                                 f"out, not counted as zero",
                                 value=clean_text(row.get("answer")), **place_of(row, "answer")))
            continue
        if not label:
            continue
        if scale.free_text:
            comments.append({"respondent_id": respondent_id, "function": question.function,
                             "question_id": question.question_id, "comment": label})
            continue
        distribution[(question.question_id, label)] += 1
        if question.asked_of == Role.COORDINATOR:
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
    role = role_of(row.get("respondent_role"))
    if role is None:
        problems.add(f"role:{normalise_label(row.get('respondent_role'))}", Finding(
            Severity.ERROR, "ccpm-respondent",
            f"respondent role '{clean_text(row.get('respondent_role'))}' should be Coordinator "
            f"or Partner; the role is taken from the questions answered",
            value=clean_text(row.get("respondent_role")), **place_of(row, "respondent_role")))
    elif role:
        person.roles.add(role)
    kind = organisation_type(row.get("organisation_type"))
    raw = clean_text(row.get("organisation_type"))
    if kind is None:
        problems.add(f"org:{normalise_label(raw)}", Finding(
            Severity.WARNING, "ccpm-organisation-type",
            f"organisation type '{raw}' is not one of {', '.join(ORGANISATION_TYPES)}; it is "
            f"counted as Other", value=raw, **place_of(row, "organisation_type")))
        kind = "Other"
    if kind and person.organisation_type and kind != person.organisation_type:
        problems.add(f"orgs:{person.respondent_id}", Finding(
            Severity.WARNING, "ccpm-organisation-type",
            f"respondent {person.respondent_id} is given two organisation types "
            f"({person.organisation_type}, {kind}); the first is used", value=raw,
            **place_of(row, "organisation_type")))
    elif kind:
        person.organisation_type = kind


def _resolve_respondents(respondents: Mapping[str, _Respondent]) -> pd.DataFrame:
    rows = []
    for person in respondents.values():
        if Role.COORDINATOR in person.roles:
            role = Role.COORDINATOR  # a coordinator who also filled the partner questionnaire
        elif person.roles:
            role = Role.PARTNER
        else:
            role = Role.COORDINATOR if person.answered_coordinator_only else Role.PARTNER
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
        if question.asked_of == Role.COORDINATOR and role == Role.PARTNER:
            problems.add(f"asked:{question_id}", Finding(
                Severity.WARNING, "ccpm-asked-of",
                f"question {question_id} is for the coordinator, but partner "
                f"{respondent_id} answered it; the answer is counted", value=question_id,
                **place_of(first_rows[key], "answer")))
        elif question.asked_of == Role.PARTNER and role == Role.COORDINATOR \
                and Role.PARTNER not in respondents[respondent_id].roles:
            problems.add(f"asked:{question_id}", Finding(
                Severity.WARNING, "ccpm-asked-of",
                f"question {question_id} is for partners, but the coordinator "
                f"{respondent_id} answered it; the answer is counted", value=question_id,
                **place_of(first_rows[key], "answer")))


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
            exact_mean(codes)
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
                means.append(exact_mean(mine))
        exact = median(means) * POINTS_PER_CODE if means else None
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
        exact = exact_mean(values) * POINTS_PER_CODE if values else None
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


def _function_respondents(bank: QuestionBank, item_values: Mapping[tuple[str, str], Exact],
                          roster: pd.DataFrame) -> pd.DataFrame:
    kinds = dict(zip(roster["respondent_id"], roster["organisation_type"], strict=True))
    roles = dict(zip(roster["respondent_id"], roster["respondent_role"], strict=True))
    answered: dict[str, set[str]] = defaultdict(set)
    for respondent_id, question_id in item_values:
        question = bank.find(question_id)
        assert question is not None
        answered[question.function].add(respondent_id)
    order = type_order(roster["organisation_type"])
    rows = []
    for function in FUNCTIONS:
        people = answered.get(function, set())
        row: dict[str, object] = {"function": function}
        for kind in order:
            row[kind] = sum(1 for rid in people
                            if roles[rid] == Role.PARTNER and kinds[rid] == kind)
        row[Role.COORDINATOR] = sum(1 for rid in people if roles[rid] == Role.COORDINATOR)
        row["All"] = len(people)
        rows.append(row)
    return pd.DataFrame(rows)
