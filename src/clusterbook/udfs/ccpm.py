"""Worksheet functions of the CCPM rules: a question's score and a score's status.

Both hand the cells to :mod:`clusterbook.domain.ccpm` (``question_score``, ``status_for``) and
give its answer back; a cell the rules cannot read is named in the sentence the cell shows.
"""

from __future__ import annotations

from typing import Any

from clusterbook.domain.ccpm import answer_code, question_score, status_for
from clusterbook.domain.values import clean_text, is_blank, to_percent_parts
from clusterbook.udfs.register import excel_function
from clusterbook.udfs.shapes import BLANK, Cell, first_problem, problem, rows_of, where_in


@excel_function(
    answers="The answers to one question (a row, a column or a bigger range): labels such as "
            "Yes, Agree, Fairly often, or codes 0 to 4. Don't know, Not applicable and blank "
            "cells are left out.",
    answer_scale="Optional. The answer scale: Yes/No, Frequency or Agreement. Default: every "
          "default answer is known.",
)
def CCPM_SCORE(answers: Cell, answer_scale: Cell = None) -> Cell:
    """Score of a CCPM question in percent: the mean code of its answers (0 to 4) times 25; 100
    means every respondent gave the best answer. Don't know, Not applicable and blanks are
    left out. Blank when no answer carries a score."""
    # Not 'scale': VBA reserves the name, and the add-in declares each argument by its name.
    scale_name = None if is_blank(answer_scale) else clean_text(answer_scale)
    try:
        answer_code(None, scale_name)  # refuses a scale the rules do not know
    except ValueError as reason:
        raise problem("answer_scale", str(reason)) from None
    rows = rows_of(answers, "answers")
    try:
        score = question_score([cell for row in rows for cell in row], scale_name)
    except ValueError:
        raise _unreadable_answers(rows, scale_name) from None
    return BLANK if score is None else score


def _unreadable_answers(rows: list[list[Any]], scale: str | None) -> Exception:
    """The error naming the answers the rules refuse (the first, and how many more)."""
    problems = []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            try:
                question_score([cell], scale)
            except ValueError as reason:
                problems.append((where_in(rows, "answers", r, c), str(reason)))
    return first_problem(problems)


@excel_function(
    tables=("score",),
    score="A score in percent from 0 to 100, as CCPM_SCORE and the CCPM report give it "
          "(86.3); a blank cell is Not assessed. A range gives one status per cell.",
)
def CCPM_STATUS(score: Cell) -> Cell:
    """CCPM status of a score: above 75 Good, above 50 up to 75 Satisfactory, above 25 up to
    50 Unsatisfactory, 25 or less Weak; a blank score is Not assessed. A range of scores
    gives a range of statuses."""
    rows = rows_of(score, "score")
    statuses: list[list[Any]] = []
    problems = []
    for r, row in enumerate(rows):
        statuses.append([])
        for c, cell in enumerate(row):
            try:
                number, _ = to_percent_parts(cell)
            except ValueError as reason:
                problems.append((where_in(rows, "score", r, c), f"'{clean_text(cell)}' {reason}"))
                continue
            try:
                statuses[-1].append(status_for(number))
            except ValueError as reason:
                problems.append((where_in(rows, "score", r, c), str(reason)))
    if problems:
        raise first_problem(problems)
    return statuses[0][0] if len(rows) == 1 and len(rows[0]) == 1 else statuses
