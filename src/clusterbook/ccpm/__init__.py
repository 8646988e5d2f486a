"""CCPM jobs: survey files in, scores (CSV), the report book, the inter-cluster overview, and
the checks of a filled Annex I. The CLI, the demo and the launcher call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from clusterbook.ccpm.inputs import Survey, read_survey
from clusterbook.domain.ccpm import Assessment, assess
from clusterbook.domain.ccpm_cycle import NextDue, next_due, workshop_groups
from clusterbook.domain.errors import InputError
from clusterbook.domain.findings import Finding, Severity, count_errors

#: The columns of the scores CSV.
SCORE_COLUMNS = ("function", "score", "status", "respondents")


@dataclass
class ReportContent:
    """What the report book shows: the survey, its scores, the workshop groups, the next due
    date, and every finding."""

    survey: Survey
    assessment: Assessment
    groups: pd.DataFrame | None = None
    group_notes: list[str] = field(default_factory=list)
    next_due: NextDue | None = None
    notice: str = ""
    made_on: dt.date = field(default_factory=dt.date.today)

    @property
    def findings(self) -> list[Finding]:
        return [*self.survey.findings, *self.assessment.findings]


def prepare_report(survey: Survey, *, notice: str = "") -> ReportContent:
    """Score a survey and work out everything the report book shows."""
    assessment = assess(survey.answers, survey.bank, partners=survey.description.partners)
    groups, notes = (None, [])
    if survey.participants is not None and len(survey.participants):
        groups, notes = workshop_groups(survey.participants)
    due = None
    description = survey.description
    if description.ccpm_date is not None:
        due = next_due(description.ccpm_date, crisis=description.crisis,
                       onset=description.onset,
                       statuses=assessment.function_scores["status"].tolist())
    return ReportContent(survey, assessment, groups, notes, due, notice)


def scores_table(assessment: Assessment) -> pd.DataFrame:
    """The scores CSV's table: a row per function and sub-function (function, score in
    percent, status, respondents); score empty when Not assessed."""
    return assessment.scores[list(SCORE_COLUMNS)].copy()


def findings_text(findings: Sequence[Finding], *, limit: int = 20) -> str:
    """The findings as lines for the terminal, errors first."""
    ordered = sorted(findings, key=lambda item: item.severity is not Severity.ERROR)
    lines = [f"  {str(item.severity).upper()}: {item}" for item in ordered[:limit]]
    if len(ordered) > limit:
        lines.append(f"  ... and {len(ordered) - limit} more (see the Findings sheet)")
    return "\n".join(lines)


@dataclass
class JobResult:
    """What a CCPM job did, in a few lines for the terminal, and whether the data had errors."""

    lines: list[str]
    findings: list[Finding]
    out: Path | None = None

    @property
    def errors(self) -> int:
        return count_errors(self.findings)

    def report(self) -> str:
        text = "\n".join(self.lines)
        if self.findings:
            errors, warnings = self.errors, len(self.findings) - self.errors
            text += (f"\n{errors} error{'s' if errors != 1 else ''} and {warnings} "
                     f"warning{'s' if warnings != 1 else ''} in the data:\n"
                     + findings_text(self.findings))
        return text


def _describe_scores(assessment: Assessment) -> list[str]:
    respondents = assessment.respondents
    partners = int((respondents["respondent_role"] == "Partner").sum())
    lines = [f"{len(respondents)} respondents ({len(respondents) - partners} coordinator, "
             f"{partners} partners)."]
    for row in assessment.function_scores.itertuples(index=False):
        score = "  -  " if pd.isna(row.score) else f"{row.score:5.1f}%"
        lines.append(f"  {row.function}. {row.name[:58]:<58} {score}  {row.status}")
    return lines


def run_scores(responses: Sequence[Path | str], out: Path | str | None = None, *,
               bank: Path | str | None = None) -> JobResult:
    """Score a survey; write the scores CSV when ``out`` is given."""
    from clusterbook.excel.write import atomic_path

    survey = read_survey(responses, bank=bank)
    assessment = assess(survey.answers, survey.bank)
    out_path = Path(out) if out is not None else None
    lines = _describe_scores(assessment)
    if out_path is not None:
        if out_path.suffix.lower() != ".csv":
            raise InputError(f"the scores are written as .csv, not '{out_path.name}'")
        with atomic_path(out_path) as temporary:
            scores_table(assessment).to_csv(temporary, index=False, encoding="utf-8-sig")
        lines.append(f"Wrote {out_path}")
    return JobResult(lines, [*survey.findings, *assessment.findings], out_path)


def run_report(responses: Sequence[Path | str], out: Path | str, *,
               bank: Path | str | None = None, description: Path | str | None = None,
               participants: Path | str | None = None, notice: str = "") -> JobResult:
    """Read a survey and write the preliminary report book (with Annex I and follow-up)."""
    from clusterbook.reports.ccpm_book import write_report_book

    out_path = Path(out)
    if out_path.suffix.lower() != ".xlsx":
        raise InputError(f"the report is an .xlsx book, not '{out_path.name}'")
    survey = read_survey(responses, bank=bank, description=description,
                         participants=participants)
    content = prepare_report(survey, notice=notice)
    write_report_book(content, out_path)
    lines = _describe_scores(content.assessment)
    if content.next_due is not None:
        lines.append(f"Next CCPM due by {content.next_due.due:%d %B %Y} "
                     f"({content.next_due.reason}).")
    lines.append(f"Wrote {out_path}")
    return JobResult(lines, content.findings, out_path)
