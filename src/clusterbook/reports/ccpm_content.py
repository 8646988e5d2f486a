"""What the CCPM report book shows, as the CCPM job works it out and the report book writes
it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from clusterbook.ccpm.inputs import Survey
from clusterbook.domain.ccpm import Assessment, NextDue
from clusterbook.domain.findings import Finding
from clusterbook.forms.schema import FormData


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
    #: Annex I and follow-up as the cluster filled them (None: the blank sheets).
    annex: FormData | None = None

    @property
    def findings(self) -> list[Finding]:
        return [*self.survey.findings, *self.assessment.findings]
