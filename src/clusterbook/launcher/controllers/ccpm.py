"""The CCPM page: survey responses in, scores, the report book and the overview out."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clusterbook.domain.errors import InputError
from clusterbook.forms.ccpm_bank import Role
from clusterbook.jobs.progress import Job, Progress
from clusterbook.launcher.settings import Settings
from clusterbook.outputs import output_file

if TYPE_CHECKING:
    import pandas as pd

    from clusterbook.domain.ccpm import Assessment
    from clusterbook.jobs.ccpm import JobResult

PAGE = "ccpm"
RESPONSE_SUFFIXES = (".csv", ".xlsx", ".xlsm")


@dataclass(frozen=True)
class Scored:
    """A scored survey: the assessment and the findings about its data."""

    assessment: Assessment
    findings: list


@dataclass
class CcpmController:
    """State and jobs of the CCPM page."""

    settings: Settings
    responses: list[Path] = field(default_factory=list)
    bank: Path | None = None
    description: Path | None = None
    scored: Scored | None = None

    def add_responses(self, paths: list[Path]) -> None:
        """Survey exports (long or wide, CSV or Excel) or a filled CCPM workbook."""
        for path in paths:
            if path.suffix.lower() not in RESPONSE_SUFFIXES:
                raise InputError(f"'{path.name}' is not a survey export: choose .csv or .xlsx "
                                 f"files, or a CCPM workbook")
            if not path.is_file():
                raise InputError(f"'{path}' does not exist")
        for path in paths:
            if path not in self.responses:
                self.responses.append(path)
                self.settings.remember(PAGE, path)
        self.scored = None

    def clear(self) -> None:
        self.responses.clear()
        self.scored = None

    def score_job(self) -> Job:
        """Score every function and sub-function of the survey."""
        responses, bank, description = self._inputs()

        def work(progress: Progress) -> Scored:
            from clusterbook.jobs.ccpm import ScoresRequest, run_scores

            result = run_scores(ScoresRequest(responses, bank=bank, description=description),
                                progress)
            assert result.assessment is not None
            return Scored(result.assessment, result.findings)

        return Job("Scoring the CCPM survey", work)

    def report_job(self, out: Path | str) -> Job:
        """Write the preliminary report book (with Annex I and the follow-up sheet)."""
        responses, bank, description = self._inputs()
        out = Path(out)
        output_file(out, inputs=[*responses, *(p for p in (bank, description) if p)])

        def work(progress: Progress) -> JobResult:
            from clusterbook.jobs.ccpm import ReportRequest, run_report

            return run_report(ReportRequest(responses, out, bank=bank, description=description),
                              progress)

        self.settings.remember(PAGE + "-out", out)
        return Job(f"Writing {out.name}", work)

    def scores_job(self, out: Path | str) -> Job:
        """Write the scores table (function, score, status, respondents) as CSV."""
        responses, bank, _ = self._inputs()
        out = Path(out)
        output_file(out, inputs=[*responses, *([bank] if bank else [])], endings=(".csv",))

        def work(progress: Progress) -> JobResult:
            from clusterbook.jobs.ccpm import ScoresRequest, run_scores

            return run_scores(ScoresRequest(responses, out, bank=bank), progress)

        return Job(f"Writing {out.name}", work)

    def overview_job(self, reports: list[Path], out: Path | str) -> Job:
        """Merge several clusters' report books into the inter-cluster overview."""
        if not reports:
            raise InputError("choose the report books of the clusters to compare")
        out = Path(out)
        output_file(out, inputs=reports)

        def work(progress: Progress) -> JobResult:
            from clusterbook.jobs.ccpm import OverviewRequest, run_overview

            return run_overview(OverviewRequest(reports, out), progress)

        return Job("Making the inter-cluster overview", work)

    def check_job(self, report: Path) -> Job:
        """Check a filled Annex I and summarise the follow-up."""

        def work(progress: Progress) -> JobResult:
            from clusterbook.jobs.ccpm import CheckRequest, run_check

            return run_check(CheckRequest(report), progress)

        return Job(f"Checking {report.name}", work)

    def accept(self, scored: Scored) -> None:
        self.scored = scored

    def headline(self) -> str:
        """Respondents, and how many functions fall in each band."""
        if self.scored is None:
            return "Add the survey responses, then Score."
        assessment = self.scored.assessment
        respondents = assessment.respondents
        partners = int((respondents["respondent_role"] == Role.PARTNER).sum())
        from clusterbook.forms.ccpm_bank import STATUSES

        bands = assessment.function_scores["status"].value_counts()
        counts = ", ".join(f"{bands[status]} {status}" for status in STATUSES if status in bands)
        findings = len(self.scored.findings)
        return (f"{len(respondents)} respondents ({len(respondents) - partners} coordinator, "
                f"{partners} partners). Functions: {counts}."
                + (f" {findings} problems in the data (see below)." if findings else ""))

    def scores(self) -> pd.DataFrame:
        """Every function and sub-function: score, status and respondents, as shown."""
        if self.scored is None:
            raise InputError("score the survey first")
        table = self.scored.assessment.scores
        shown = table[["function", "name", "score", "status", "respondents"]].copy()
        shown["score"] = shown["score"].round(1)
        return shown.rename(columns={"function": "Function", "name": "Name",
                                     "score": "Score (%)", "status": "Status",
                                     "respondents": "Respondents"})

    def _inputs(self) -> tuple[list[Path], Path | None, Path | None]:
        if not self.responses:
            raise InputError("add the survey responses first (a CSV or Excel export, or a "
                             "filled CCPM workbook)")
        return list(self.responses), self.bank, self.description
