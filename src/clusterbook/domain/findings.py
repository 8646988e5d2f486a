"""Findings: what a check says about one value in one cell of one file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from clusterbook.domain.errors import Location


class Severity(StrEnum):
    """Errors block a submission from being counted as valid; warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in a submission, with everything needed to find and fix it."""

    severity: Severity
    rule: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""

    @property
    def location(self) -> Location:
        return Location(file=self.file, sheet=self.sheet, cell=self.cell)

    def __str__(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, Any]:
        row = asdict(self)
        row["severity"] = str(self.severity)
        return row


FINDING_COLUMNS = ("severity", "rule", "message", "file", "sheet", "cell", "value")


def count_errors(findings: Iterable[Finding]) -> int:
    """How many of the findings are errors."""
    return sum(1 for finding in findings if finding.severity is Severity.ERROR)
