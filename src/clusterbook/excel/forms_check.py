"""Checking submissions once read: the domain's rules over the forms of many files at once,
each file's findings given back to it, and what the intake has to say about a file. Validate
and merge check the same way."""

from __future__ import annotations

from collections.abc import Sequence

from clusterbook.domain.checks import RULES, CheckContext, check_documents, file_finding
from clusterbook.domain.findings import Finding
from clusterbook.domain.rule_registry import RuleId
from clusterbook.excel.forms_reader import Submission
from clusterbook.excel.intake import Intake


def intake_findings(intake: Intake) -> list[Finding]:
    """What the intake has to say about a file: why it cannot be read, and an odd name."""
    findings = [file_finding(intake.error)] if intake.error is not None else []
    if intake.odd_name:
        findings.append(Finding(RULES[RuleId.FILE_NAME].severity, RuleId.FILE_NAME, (
            f"The file's name is not valid text (it was saved by a program using another "
            f"alphabet, or holds control characters); it is shown as '{intake.name}'. Rename "
            f"the file with ordinary letters."), intake.name))
    return findings


def check_submissions(submissions: Sequence[Submission],
                      context: CheckContext | None = None) -> list[Finding]:
    """The findings of many submissions at once (the rules run over all of them together,
    which is much faster than file by file); each submission's ``findings`` is filled too."""
    documents = [document for submission in submissions for document in submission.documents]
    findings = check_documents(documents, context)
    by_file: dict[str, list[Finding]] = {submission.file: [] for submission in submissions}
    for finding in findings:
        by_file.setdefault(finding.file, []).append(finding)
    for submission in submissions:
        submission.findings = by_file.get(submission.file, [])
    return findings

