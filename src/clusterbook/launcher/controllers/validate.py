"""The Validate page: files and folders in, every finding with its file, sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clusterbook.domain.errors import InputError
from clusterbook.jobs.progress import Job, Progress
from clusterbook.launcher.settings import Settings
from clusterbook.outputs import output_file

if TYPE_CHECKING:
    import pandas as pd

    from clusterbook.jobs.validate import ValidationResult

PAGE = "validate"
COLUMNS = ("Severity", "File", "Sheet", "Cell", "Message", "Rule", "Value")


@dataclass(frozen=True)
class Place:
    """Where a finding points: the file on disk, its sheet and cell."""

    path: Path
    sheet: str
    cell: str


@dataclass
class ValidateController:
    """State and jobs of the Validate page."""

    settings: Settings
    inputs: list[Path] = field(default_factory=list)
    clusters_path: Path | None = None
    final: bool = False
    result: ValidationResult | None = None
    _places: list[Place] = field(default_factory=list)

    def add(self, paths: list[Path]) -> None:
        """Add files or folders the user picked or dropped."""
        missing = [path for path in paths if not path.exists()]
        if missing:
            raise InputError("; ".join(f"'{path}' does not exist" for path in missing))
        for path in paths:
            if path not in self.inputs:
                self.inputs.append(path)
                self.settings.remember(PAGE, path)

    def clear(self) -> None:
        self.inputs.clear()
        self.result = None

    def choose_clusters(self, path: Path | None) -> None:
        """The cluster list (data book, flags book, round data or a list), or None."""
        if path is not None and not path.is_file():
            raise InputError(f"'{path}' does not exist")
        self.clusters_path = path
        if path is not None:
            self.settings.remember(PAGE + "-clusters", path)

    def job(self) -> Job:
        """The job that checks every input."""
        if not self.inputs:
            raise InputError("add files or folders to check first (Browse, or drop them on "
                             "the window)")
        inputs, clusters_path, final = list(self.inputs), self.clusters_path, self.final

        def work(progress: Progress) -> ValidationResult:
            from clusterbook.jobs.validate import ValidateRequest, validate_paths

            return validate_paths(ValidateRequest(inputs, clusters_path, final), progress)

        return Job("Checking submissions", work)

    def accept(self, result: ValidationResult) -> None:
        self.result = result

    def summary(self) -> str:
        if self.result is None:
            return "Add filled microplans or action plans (files or folders), then Check."
        return self.result.summary()

    def table(self, severity: str = "", text: str = "") -> pd.DataFrame:
        """The findings, errors first, filtered by severity and by any text."""
        import pandas as pd

        if self.result is None:
            raise InputError("check the files first")
        rows, places = [], []
        for file_result in self.result.files:
            for finding in file_result.findings:
                if severity and str(finding.severity) != severity:
                    continue
                row = (str(finding.severity), finding.file, finding.sheet, finding.cell,
                       finding.message, finding.rule, finding.value)
                if text and text.casefold() not in " ".join(row).casefold():
                    continue
                rows.append(row)
                places.append(Place(file_result.path, finding.sheet, finding.cell))
        order = sorted(range(len(rows)), key=lambda index: rows[index][0] != "error")
        self._places = [places[index] for index in order]
        return pd.DataFrame([rows[index] for index in order], columns=list(COLUMNS))

    def place(self, row: int) -> Place:
        """Where the finding in a row of the last table points."""
        return self._places[row]

    def findings_job(self, out: Path | str) -> Job:
        """Save every finding as a book (.xlsx)."""
        result, out = self._require(), Path(out)
        output_file(out, inputs=[item.path for item in result.files])

        def work(progress: Progress) -> Path:
            from clusterbook.jobs.validate import write_findings

            progress(0, 1, f"Writing {out.name}")
            return write_findings(result, out)

        return Job(f"Saving {out.name}", work)

    def write_back_job(self) -> Job:
        """Write NAME.checked.xlsx beside each file with findings (originals untouched)."""
        result = self._require()

        def work(progress: Progress) -> list[str]:
            from clusterbook.jobs.validate import write_back

            progress(0, 1, "Writing checked copies")
            return write_back(result, only_with_findings=True)

        return Job("Writing checked copies", work)

    def _require(self) -> ValidationResult:
        if self.result is None:
            raise InputError("check the files first")
        return self.result
