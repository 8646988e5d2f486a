"""The validate job: files and folders of submissions in, a finding for every problem out.

A file that cannot be read as a form (damaged, empty, protected, not a template, a lock file)
becomes one finding naming it; the job never stops on one bad file. Inputs are never
modified. The CLI, the launcher and the Excel button call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from clusterbook.domain.checks import CheckContext, check_documents
from clusterbook.domain.clusterlist import ClusterList
from clusterbook.domain.errors import ClusterBookError, WorkbookError
from clusterbook.domain.findings import Finding, Severity, count_errors
from clusterbook.domain.outcomes import Outcome, printable
from clusterbook.excel.file_search import CHECKED_MARK, collect_paths, display_names
from clusterbook.excel.forms_check import check_submissions, intake_findings
from clusterbook.excel.forms_reader import Submission, documents_from_sheets, read_submission
from clusterbook.excel.intake import take
from clusterbook.jobs.progress import Progress, unheard


@dataclass
class FileResult:
    """One file: what was read (None when it could not be) and its findings."""

    path: Path
    file: str
    submission: Submission | None
    findings: list[Finding] = field(default_factory=list)
    #: Findings about the file itself (its name) that stay beside the form's findings.
    notes: list[Finding] = field(default_factory=list)
    #: What became of the file: read, or why not (unreadable, not a form, refused).
    outcome: Outcome = Outcome.READ

    @property
    def errors(self) -> int:
        return count_errors(self.findings)

    @property
    def warnings(self) -> int:
        return sum(1 for finding in self.findings if finding.severity is Severity.WARNING)

    @property
    def valid(self) -> bool:
        """Readable as a form, and without errors."""
        return self.submission is not None and self.errors == 0


@dataclass
class ValidationResult:
    """Every file checked, in order, and the files a folder search skipped."""

    files: list[FileResult]
    skipped: list[Path] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [finding for result in self.files for finding in result.findings]

    @property
    def errors(self) -> int:
        return sum(result.errors for result in self.files)

    @property
    def warnings(self) -> int:
        return sum(result.warnings for result in self.files)

    def summary(self) -> str:
        """'12 files checked: 9 valid, 2 with errors, 1 not readable (5 errors, 3 warnings).'"""
        readable = [result for result in self.files if result.outcome is Outcome.READ]
        valid = sum(1 for result in readable if result.valid)
        refused = sum(1 for result in self.files if result.outcome is Outcome.REFUSED)
        broken = len(self.files) - len(readable) - refused
        forms = sum(len(result.submission.documents) for result in readable
                    if result.submission is not None)
        parts = [f"{valid} valid", f"{len(readable) - valid} with errors"]
        if broken:
            parts.append(f"{broken} not readable")
        if refused:
            parts.append(f"{refused} refused unopened")
        text = (f"{_plural(len(self.files), 'file')} checked ({_plural(forms, 'form')}): "
                f"{', '.join(parts)} ({_plural(self.errors, 'error')}, "
                f"{_plural(self.warnings, 'warning')}).")
        checked = sum(1 for path in self.skipped if path.stem.endswith(CHECKED_MARK))
        if checked:
            text += f" Skipped {_plural(checked, 'checked copy', 'checked copies')}."
        others = len(self.skipped) - checked
        if others:
            text += (f" Skipped {_plural(others, 'file')} that "
                     + ("is not a workbook." if others == 1 else "are not workbooks."))
        return text


def _plural(count: int, word: str, words: str = "") -> str:
    return f"{count:,} {word if count == 1 else (words or word + 's')}"


def read_files(paths: Sequence[Path], progress: Progress) -> list[FileResult]:
    """Read every file; a file that cannot be read as a form gets its one finding.

    ``progress`` hears each file before it is read.
    """
    names = display_names(paths)
    results = []
    for done, path in enumerate(paths):
        name = names[path]
        progress(done, len(paths), f"Reading {name}")
        intake = take(path, name)
        try:
            submission = read_submission(intake)
        except WorkbookError as error:
            intake.fail(error)
            results.append(FileResult(path, name, None, intake_findings(intake),
                                      outcome=intake.outcome))
            continue
        result = FileResult(path, name, submission)
        result.notes = intake_findings(intake)
        results.append(result)
    return results


@dataclass(frozen=True)
class ValidateRequest:
    """Check every file named and every workbook in the folders named (searched
    recursively)."""

    paths: Sequence[Path | str]
    #: The cluster list: a file (the data book, the flags book, round data or a list), or
    #: one read already.
    clusters: Path | ClusterList | None = None
    #: Every submission is final: its sign-off must be complete.
    final: bool = False
    #: The day the deadlines and dates are checked against (None: today).
    today: dt.date | None = None

    def context(self, clusters: ClusterList | None) -> CheckContext:
        if self.today is None:
            return CheckContext(clusters=clusters, final=self.final)
        return CheckContext(clusters=clusters, final=self.final, today=self.today)


@dataclass(frozen=True)
class BookCheckRequest:
    """Check a form open in Excel, from the values of its sheets (rows from A1, in the book's
    order, the hidden mark sheet included), as ``validate`` checks a file."""

    name: str
    sheets: Mapping[str, Sequence[Sequence[object]]]
    clusters: ClusterList | None = None
    final: bool = False


def validate_paths(request: ValidateRequest, progress: Progress | None = None
                   ) -> ValidationResult:
    """Check every file of the request; ``progress`` hears each file as it is read, then the
    checking."""
    report = progress or unheard
    clusters = request.clusters
    if clusters is not None and not isinstance(clusters, ClusterList):
        from clusterbook.excel.cluster_list import load_cluster_list

        report(0, 0, f"Reading the cluster list {Path(clusters).name}")
        clusters = load_cluster_list(clusters)
    paths, skipped = collect_paths(request.paths)
    results = read_files(paths, report)
    readable = [result.submission for result in results if result.submission is not None]
    report(len(paths), len(paths), f"Checking {_plural(len(readable), 'form file')}")
    check_submissions(readable, request.context(clusters))
    for result in results:
        if result.submission is not None:
            result.findings = [*result.notes, *result.submission.findings]
    return ValidationResult(results, skipped)


def check_book(request: BookCheckRequest) -> list[Finding]:
    """The findings of a book open in Excel: the rules, reading and order of
    :func:`validate_paths`."""
    _, _, documents = documents_from_sheets(request.name, request.sheets)
    return check_documents(documents, CheckContext(clusters=request.clusters,
                                                   final=request.final))


# --- output ---------------------------------------------------------------------------------------

def table_text(result: ValidationResult, *, valid_files: bool = True) -> str:
    """The findings as an officer reads them on screen, file by file (files without
    problems too, unless ``valid_files`` is False: then the summary counts them)."""
    lines = []
    for file_result in result.files:
        if not valid_files and not file_result.findings:
            continue
        counts = (f"{_plural(file_result.errors, 'error')}, "
                  f"{_plural(file_result.warnings, 'warning')}")
        submission = file_result.submission
        what = "" if submission is None else (
            f" — {submission.form.title}" + (f", {len(submission.documents)} forms"
                                              if len(submission.documents) > 1 else ""))
        lines.append(printable(f"{file_result.file}{what}: ") + (
            counts if file_result.findings else "no problems found"))
        where_width = max((len(_where(f)) for f in file_result.findings), default=0)
        for finding in file_result.findings:
            # Values typed in cells may hold control characters: shown as escapes, never
            # sent raw to the terminal.
            lines.append(printable(f"  {finding.severity:<8} {_where(finding):<{where_width}}  "
                                   f"{finding.message} [{finding.rule}]"))
    if lines:
        lines.append("")
    lines.append(result.summary())
    return "\n".join(lines)


def _where(finding: Finding) -> str:
    return " › ".join(part for part in (finding.sheet, finding.cell) if part) or "(file)"


def findings_json(result: ValidationResult) -> str:
    """The findings as a JSON list of objects with severity, rule, message, file, sheet, cell
    and value."""
    import json

    return json.dumps([finding.as_dict() for finding in result.findings], ensure_ascii=False,
                      indent=2)


def render(result: ValidationResult, output_format: str, out: Path | None, *,
           valid_files: bool = True) -> None:
    """Print or write the findings in a format: 'table', 'json' or 'xlsx' (the table lists
    the files without problems only when ``valid_files``)."""
    if output_format == "xlsx":
        target = write_findings(result, out or Path("findings.xlsx"))
        print(f"{result.summary()}\nWrote {target}")
        return
    text = (table_text(result, valid_files=valid_files) if output_format == "table"
            else findings_json(result))
    if out is None:
        print(text)
        return
    from clusterbook.excel.write import atomic_path

    with atomic_path(out) as temporary:
        temporary.write_text(text + "\n", encoding="utf-8")
    print(f"{result.summary()}\nWrote {out}")


def write_findings(result: ValidationResult, out: Path) -> Path:
    """Write the findings book: every finding, and every file with its counts."""
    from clusterbook.reports.checks_book import write_findings_book

    files = [(r.file, r.submission.form.title if r.submission else "not readable",
              len(r.submission.documents) if r.submission else 0, r.errors, r.warnings)
             for r in result.files]
    return write_findings_book(files, result.findings, out)


def write_back(result: ValidationResult, *, only_with_findings: bool = False) -> list[str]:
    """Write a checked copy beside every readable file (or only those with findings);
    returns a line per copy. An earlier checked copy that differs (an officer may have
    written in it) is kept by the output rules, and a line says where."""
    from clusterbook.outputs import drop_old_if_same, form_of, output_file
    from clusterbook.reports.checks_book import checked_copy_path, write_checked_copy

    lines = []
    for file_result in result.files:
        if file_result.submission is None or (only_with_findings and
                                              not file_result.findings):
            continue
        path = file_result.path
        try:
            old = output_file(checked_copy_path(path), inputs=[path], endings=(),
                              writes=form_of(path))  # a copy of the same form
            out = write_checked_copy(path, file_result.findings)
        except ClusterBookError as error:
            if isinstance(error, WorkbookError):
                error.file = file_result.file
            lines.append(f"Could not write a checked copy: {printable(str(error))}")
            continue
        lines.append(printable(f"Wrote {out}"))
        old = drop_old_if_same(old, out)
        if old is not None:
            lines.append(printable(f"Kept the earlier checked copy as {old}."))
    return lines


if __name__ == "__main__":  # python -m clusterbook.jobs.validate --rules > docs/validation-rules.md
    import sys

    from clusterbook.domain.checks import rules_table

    if sys.argv[1:] != ["--rules"]:
        sys.exit("usage: python -m clusterbook.jobs.validate --rules")
    sys.stdout.write(rules_table())
