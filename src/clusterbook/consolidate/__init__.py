"""Consolidation: district submissions into provincial and regional review books.

``merge_folder(folder, out, clusters=None, level="region", progress=None)`` merges a folder of
submissions (and provincial review books) into a review book; ``write_feedback_books(book,
out_dir)`` writes one feedback book per province from a review book. The rules themselves
live in ``clusterbook.domain.consolidation``.
"""

from __future__ import annotations

from clusterbook.consolidate.feedback_books import write_feedback_books
from clusterbook.consolidate.job import MergeCancelled, MergeResult, merge_folder

__all__ = ["MergeCancelled", "MergeResult", "merge_folder", "write_feedback_books"]
