"""The cluster description: who the cluster is, when this CCPM was held, the crisis, and its
partners per organisation type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from clusterbook.forms.ccpm_bank import Crisis


@dataclass(frozen=True)
class ClusterDescription:
    """The cluster description: who the cluster is, when this CCPM was held, what kind of
    crisis it works in, and its partners per organisation type (response-rate denominators)."""

    cluster: str = ""
    country: str = ""
    ccpm_date: dt.date | None = None
    crisis: Crisis = Crisis.PROTRACTED
    onset: dt.date | None = None
    coordinator: str = ""
    lead_agency: str = ""
    partners: Mapping[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """'Nutrition cluster, Country' as reports head their pages."""
        name = self.cluster or "Cluster"
        if "cluster" not in name.casefold():
            name += " cluster"
        return f"{name}, {self.country}" if self.country else name
