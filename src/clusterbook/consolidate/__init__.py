"""Consolidation's files: review books, the merge ledger, reading submissions, sheet layout.

The merge and feedback jobs that use them are ``clusterbook.jobs.merge`` and
``clusterbook.jobs.feedback``; the rules themselves live in ``clusterbook.domain.consolidation``.
"""
