"""ClusterBook: live Excel workbooks for low-performing polio clusters, microplans,
consolidation of district submissions and CCPM self-assessments.

The rule engine is :func:`classify_clusters`; heavy modules load on first use so that the
launcher and the CLI start quickly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["ClusterBookError", "InputError", "WorkbookError", "__version__",
           "classify_clusters", "summarize"]

if TYPE_CHECKING:
    from clusterbook.domain.errors import ClusterBookError, InputError, WorkbookError
    from clusterbook.domain.rules import classify_clusters
    from clusterbook.domain.summary import summarize

_LAZY = {
    "classify_clusters": "clusterbook.domain.rules",
    "summarize": "clusterbook.domain.summary",
    "ClusterBookError": "clusterbook.domain.errors",
    "InputError": "clusterbook.domain.errors",
    "WorkbookError": "clusterbook.domain.errors",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'clusterbook' has no attribute {name!r}")
