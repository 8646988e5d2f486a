"""The cluster list a submission is checked against: which clusters exist, where, and which are
on the low-performing list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

import pandas as pd

from clusterbook.domain.errors import InputError
from clusterbook.domain.rule_parameters import Status
from clusterbook.domain.values import clean_text

_NOT_ALNUM: Final = re.compile(r"[\W_]+", re.UNICODE)
LOW_PERFORMING: Final = Status.LOW_PERFORMING.label
COLUMNS: Final = ("cluster_code", "province", "district", "cluster_name", "low_performing")


def code_key(code: object) -> str:
    """A cluster code for comparing: 'ktl 012', 'KTL-012' and 'KTL_012' are the same."""
    return _NOT_ALNUM.sub("", clean_text(code).casefold())


def place_key(name: object) -> str:
    """A province or district name for comparing, without case, spaces or punctuation."""
    return _NOT_ALNUM.sub("", clean_text(name).casefold())


@dataclass(frozen=True)
class ClusterInfo:
    """One cluster of the list."""

    code: str
    province: str
    district: str
    name: str
    low_performing: bool


@dataclass(frozen=True)
class ClusterList:
    """Clusters by code. ``knows_status`` is False for a plain list without the low-performing
    column: then no rule about the low-performing list applies."""

    clusters: dict[str, ClusterInfo]
    source: str = ""
    knows_status: bool = True

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, source: str = "") -> ClusterList:
        """From a frame with cluster_code, district, and optionally province, cluster_name and
        low_performing (booleans) columns."""
        missing = [column for column in ("cluster_code", "district") if column not in frame]
        if missing:
            raise InputError(f"{source or 'the cluster list'} has no "
                             f"{' or '.join(missing)} column")
        knows_status = "low_performing" in frame
        clusters: dict[str, ClusterInfo] = {}
        columns = {column: (frame[column].tolist() if column in frame else [""] * len(frame))
                   for column in COLUMNS}
        for code, province, district, name, listed in zip(
                *(columns[column] for column in COLUMNS), strict=True):
            key = code_key(code)
            if not key:
                continue
            clusters[key] = ClusterInfo(clean_text(code), clean_text(province),
                                        clean_text(district), clean_text(name),
                                        bool(listed) if knows_status and listed is not None
                                        and listed == listed else False)
        return cls(clusters, source, knows_status)

    def get(self, code: object) -> ClusterInfo | None:
        return self.clusters.get(code_key(code))

    def low_performing_in(self, district: object) -> list[ClusterInfo]:
        """The listed clusters of a district, in the list's order."""
        key = place_key(district)
        return [info for info in self.clusters.values()
                if info.low_performing and place_key(info.district) == key]

    def __len__(self) -> int:
        return len(self.clusters)


def cluster_list_from_flags(flags: pd.DataFrame, *, source: str = "") -> ClusterList:
    """The cluster list from ``classify_clusters`` output: each cluster's status in the last
    round says whether it is on the low-performing list."""
    from clusterbook.domain.summary import latest_status

    current = latest_status(flags)
    frame = pd.DataFrame({
        "cluster_code": current["cluster_code"].astype(str),
        "province": current["province"].astype(str),
        "district": current["district"].astype(str),
        "cluster_name": current["cluster_name"].astype(str) if "cluster_name" in current
        else "",
        "low_performing": (current["status"].astype(str) == LOW_PERFORMING).to_numpy(),
    })
    return ClusterList.from_frame(frame, source=source)
