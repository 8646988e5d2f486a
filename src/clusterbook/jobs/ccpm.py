"""CCPM jobs: survey files in, scores (CSV), the report book, the inter-cluster overview, and
the checks of a filled Annex I. The CLI, the demo and the launcher call these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from clusterbook.ccpm.inputs import Survey, read_survey
from clusterbook.domain.ccpm import (
    Assessment,
    assess,
    check_annex,
    common_weaknesses,
    final_status,
    function_of,
    next_due,
    overview_matrix,
    progress_findings,
    quarterly_progress,
    score_text,
    workshop_groups,
)
from clusterbook.domain.errors import InputError
from clusterbook.domain.findings import Finding, Severity, count_errors
from clusterbook.domain.values import clean_text
from clusterbook.forms.ccpm import ANNEX_STATUS, MONTHS
from clusterbook.forms.ccpm_bank import FUNCTIONS, STATUSES
from clusterbook.forms.schema import FormData
from clusterbook.jobs.progress import Progress, unheard
from clusterbook.reports.ccpm_content import ReportContent

if TYPE_CHECKING:
    from clusterbook.ccpm.readback import FilledReport

#: The columns of the scores CSV.
SCORE_COLUMNS = ("function", "score", "status", "respondents")


def prepare_report(survey: Survey, *, notice: str = "", annex: FormData | None = None
                   ) -> ReportContent:
    """Score a survey and work out everything the report book shows."""
    assessment = assess(survey.answers, survey.bank, partners=survey.description.partners)
    groups, notes = (None, [])
    if survey.participants is not None and len(survey.participants):
        groups, notes = workshop_groups(survey.participants)
    due = None
    description = survey.description
    if description.ccpm_date is not None:
        amended = [row.get("amended_status") for row in
                   (annex.tables.get(ANNEX_STATUS.key, []) if annex else [])]
        computed = assessment.function_scores["status"].tolist()
        amended += [None] * (len(computed) - len(amended))
        due = next_due(description.ccpm_date, crisis=description.crisis,
                       onset=description.onset,
                       statuses=[final_status(c, a) for c, a in zip(computed, amended,
                                                                    strict=False)])
    return ReportContent(survey, assessment, groups, notes, due, notice, annex=annex)


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
    #: The survey's scores (scoring and the report).
    assessment: Assessment | None = None

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
        lines.append(f"  {row.function}. {row.name[:58]:<58} {score_text(row.score):>10}  "
                     f"{row.status}")
    return lines


@dataclass(frozen=True)
class ScoresRequest:
    """Score a survey (exports, long or wide, CSV or Excel, or a filled CCPM workbook); write
    the scores CSV when ``out`` is given."""

    responses: Sequence[Path]
    out: Path | None = None
    bank: Path | None = None
    description: Path | None = None


@dataclass(frozen=True)
class ReportRequest:
    """Read a survey and write the preliminary report book (with Annex I and follow-up)."""

    responses: Sequence[Path]
    out: Path
    bank: Path | None = None
    description: Path | None = None
    participants: Path | None = None
    notice: str = ""
    #: Annex I and follow-up as a cluster filled them (None: blank).
    annex: FormData | None = None


@dataclass(frozen=True)
class OverviewRequest:
    """Merge several clusters' report books into the inter-cluster overview book."""

    reports: Sequence[Path]
    out: Path


@dataclass(frozen=True)
class CheckRequest:
    """Check a filled Annex I and follow-up; summarise the actions' progress in a quarter
    (None: the last with any progress)."""

    report: Path
    quarter: int | None = None


def run_scores(request: ScoresRequest, progress: Progress | None = None) -> JobResult:
    """Score every function and sub-function of a survey."""
    from clusterbook.excel.csv_table import write_csv

    report = progress or unheard
    report(0, 2, "Reading the survey")
    survey = read_survey(request.responses, bank=request.bank,
                         description=request.description)
    report(1, 2, "Scoring")
    assessment = assess(survey.answers, survey.bank)
    out_path = Path(request.out) if request.out is not None else None
    lines = _describe_scores(assessment)
    if out_path is not None:
        if out_path.suffix.lower() != ".csv":
            raise InputError(f"the scores are written as .csv, not '{out_path.name}'")
        # Plain UTF-8 (no byte-order mark): the table is ASCII, read by people and scripts.
        write_csv(scores_table(assessment), out_path, bom=False)
        lines.append(f"Wrote {out_path}")
    report(2, 2, "Done")
    return JobResult(lines, [*survey.findings, *assessment.findings], out_path, assessment)


def run_report(request: ReportRequest, progress: Progress | None = None) -> JobResult:
    """Score a survey and write its report book."""
    from clusterbook.reports.ccpm_book import write_report_book

    out_path = Path(request.out)
    if out_path.suffix.lower() != ".xlsx":
        raise InputError(f"the report is an .xlsx book, not '{out_path.name}'")
    (progress or unheard)(0, 1, f"Writing {out_path.name}")
    survey = read_survey(request.responses, bank=request.bank,
                         description=request.description, participants=request.participants)
    content = prepare_report(survey, notice=request.notice, annex=request.annex)
    write_report_book(content, out_path)
    lines = _describe_scores(content.assessment)
    if content.next_due is not None:
        lines.append(f"Next CCPM due by {content.next_due.due:%d %B %Y} "
                     f"({content.next_due.reason}).")
    lines.append(f"Wrote {out_path}")
    return JobResult(lines, content.findings, out_path, content.assessment)


def _overview_tables(reports: Sequence[FilledReport]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Statuses (cluster, function, computed, amended, score) and question scores of reports,
    each cluster named once (a second report of the same name gets its file name)."""
    status_rows, question_rows = [], []
    seen: set[str] = set()
    for report in reports:
        cluster = report.cluster
        if cluster in seen:
            cluster = f"{cluster} [{report.file}]"
        seen.add(cluster)
        amended = {row.function: (clean_text(row.amended_status), clean_text(row.reason))
                   for row in report.statuses.itertuples() if row.function}
        for row in report.results.itertuples(index=False):
            if row.level == "question":
                question_rows.append({"cluster": cluster, "question_id": row.id,
                                      "text": row.name, "score": row.score})
            else:
                status, reason = amended.get(str(row.id), ("", ""))
                status_rows.append({"cluster": cluster, "function": str(row.id),
                                    "computed_status": row.status, "amended_status": status,
                                    "reason": reason, "score": row.score})
    statuses = pd.DataFrame(status_rows)
    statuses["final_status"] = [final_status(computed, amended) for computed, amended in
                                zip(statuses["computed_status"], statuses["amended_status"],
                                    strict=True)]
    return statuses, pd.DataFrame(question_rows, columns=["cluster", "question_id", "text",
                                                          "score"])


def run_overview(request: OverviewRequest, progress: Progress | None = None) -> JobResult:
    """Write the inter-cluster overview book."""
    from clusterbook.ccpm.readback import read_report
    from clusterbook.reports.ccpm_overview import write_overview_book

    reports, out_path = request.reports, Path(request.out)
    if not reports:
        raise InputError("name at least one CCPM report book")
    if out_path.suffix.lower() != ".xlsx":
        raise InputError(f"the overview is an .xlsx book, not '{out_path.name}'")
    (progress or unheard)(0, 1, f"Reading {len(reports)} report books")
    filled = [read_report(path) for path in reports]
    findings = [finding for report in filled for finding in _annex_findings(report)]
    statuses, questions = _overview_tables(filled)
    matrix = overview_matrix(statuses)
    scores = statuses.pivot_table(index="function", columns="cluster", values="score",
                                  aggfunc="first", dropna=False)
    scores = scores.reindex(index=matrix.index, columns=matrix.columns)
    weaknesses = common_weaknesses(statuses, questions)
    write_overview_book(statuses, matrix, scores, weaknesses, out_path,
                        sources=[report.file for report in filled])
    lines = [f"{len(filled)} cluster{'' if len(filled) == 1 else 's'}: "
             f"{', '.join(map(str, matrix.columns))}."]
    functions = matrix[[("." not in str(index)) for index in matrix.index]]
    for function, line in functions.iterrows():
        counts = line.value_counts()
        lines.append(f"  {function}. {FUNCTIONS[str(function)][:50]:<50} " + ", ".join(
            f"{status} {counts[status]}" for status in STATUSES if status in counts))
    lines.append(f"{len(weaknesses)} weaknesses common to several clusters.")
    lines.append(f"Wrote {out_path}")
    return JobResult(lines, findings, out_path)


def _annex_findings(report: FilledReport) -> list[Finding]:
    return [*check_annex(report.statuses, report.actions, file=report.file),
            *progress_findings(report.follow_up, file=report.file)]


def run_check(request: CheckRequest, progress: Progress | None = None) -> JobResult:
    """Check a filled Annex I and its follow-up."""
    from clusterbook.ccpm.readback import read_report

    (progress or unheard)(0, 1, f"Checking {Path(request.report).name}")
    report = read_report(request.report)
    quarter = request.quarter
    findings = _annex_findings(report)
    lines = [f"{report.cluster}: Annex I of {report.file}."]
    counted = report.actions[report.actions["action"].map(clean_text) != ""]
    for row in report.statuses.itertuples():
        if not row.function:
            continue
        final = final_status(row.computed_status, row.amended_status)
        actions = sum(1 for value in counted["function"] if function_of(value) == row.function)
        amended = f" (amended from {row.computed_status})" if clean_text(
            row.amended_status) else ""
        lines.append(f"  {row.function}. {FUNCTIONS[row.function][:50]:<50} {final}{amended}, "
                     f"{actions} action{'s' if actions != 1 else ''}")
    chosen = quarter or _latest_quarter(report.follow_up)
    if chosen:
        table = quarterly_progress(report.follow_up, chosen)
        total = table[table["function"] == "All"].iloc[0]
        lines.append(f"Quarter {chosen}: {total['actions']} actions, {total['Done']} done, "
                     f"{total['In progress']} in progress, {total['Delayed']} delayed, "
                     f"{total['Not started']} not started.")
    if not findings:
        lines.append("Annex I follows the rules.")
    return JobResult(lines, findings, None)


def _latest_quarter(follow_up: pd.DataFrame) -> int | None:
    """The last quarter in which any progress was recorded."""
    latest = 0
    for month in range(1, MONTHS + 1):
        if follow_up[f"month_{month}"].map(clean_text).ne("").any():
            latest = month
    return (latest + 2) // 3 if latest else None
