"""CCPM rules, one module per job; callers import them from here.

* :mod:`~clusterbook.domain.ccpm.scales`: answer scales and how answers are read;
* :mod:`~clusterbook.domain.ccpm.scores`: question and function scores, and their bands;
* :mod:`~clusterbook.domain.ccpm.bank`: the question bank, and the bank read from tables;
* :mod:`~clusterbook.domain.ccpm.respondents`: organisation types, roles, response rates;
* :mod:`~clusterbook.domain.ccpm.assessment`: a survey scored: everything the preliminary
  report shows;
* :mod:`~clusterbook.domain.ccpm.description`: the cluster description;
* :mod:`~clusterbook.domain.ccpm.workshop`: the workshop's working groups;
* :mod:`~clusterbook.domain.ccpm.annex`: Annex I's final statuses and its rules;
* :mod:`~clusterbook.domain.ccpm.follow_up`: the actions' monthly and quarterly progress;
* :mod:`~clusterbook.domain.ccpm.overview`: the inter-cluster overview;
* :mod:`~clusterbook.domain.ccpm.next_due`: when the next CCPM is due.

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

from clusterbook.domain.ccpm.annex import MAX_ACTIONS, check_annex, final_status, function_of
from clusterbook.domain.ccpm.assessment import ANSWER_COLUMNS, Assessment, assess
from clusterbook.domain.ccpm.bank import QuestionBank, bank_from_tables, default_bank, id_key
from clusterbook.domain.ccpm.description import ClusterDescription
from clusterbook.domain.ccpm.follow_up import latest_progress, progress_findings, quarterly_progress
from clusterbook.domain.ccpm.next_due import (
    DUE_FIRST,
    DUE_SOONER,
    DUE_YEARLY,
    NextDue,
    add_months,
    next_due,
)
from clusterbook.domain.ccpm.overview import (
    COMMON_IN,
    common_weaknesses,
    group_name,
    overview_matrix,
)
from clusterbook.domain.ccpm.respondents import NOT_STATED, organisation_type, response_rates
from clusterbook.domain.ccpm.scales import Scale, answer_code, default_scales, normalise_label
from clusterbook.domain.ccpm.scores import (
    CONSTRAINT_AT_MOST,
    GOOD_PRACTICE,
    NEEDS_ACTION,
    POINTS_PER_CODE,
    SCORE_DECIMALS,
    group_score,
    question_score,
    score_text,
    score_to_float,
    status_for,
)
from clusterbook.domain.ccpm.workshop import group_plan, workshop_groups

__all__ = [
    "ANSWER_COLUMNS",
    "COMMON_IN",
    "CONSTRAINT_AT_MOST",
    "DUE_FIRST",
    "DUE_SOONER",
    "DUE_YEARLY",
    "GOOD_PRACTICE",
    "MAX_ACTIONS",
    "NEEDS_ACTION",
    "NOT_STATED",
    "POINTS_PER_CODE",
    "SCORE_DECIMALS",
    "Assessment",
    "ClusterDescription",
    "NextDue",
    "QuestionBank",
    "Scale",
    "add_months",
    "answer_code",
    "assess",
    "bank_from_tables",
    "check_annex",
    "common_weaknesses",
    "default_bank",
    "default_scales",
    "final_status",
    "function_of",
    "group_name",
    "group_plan",
    "group_score",
    "id_key",
    "latest_progress",
    "next_due",
    "normalise_label",
    "organisation_type",
    "overview_matrix",
    "progress_findings",
    "quarterly_progress",
    "question_score",
    "response_rates",
    "score_text",
    "score_to_float",
    "status_for",
    "workshop_groups"
]
