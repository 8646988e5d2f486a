"""CCPM files: reading survey exports and descriptions, and reading back Annex I books.

The CCPM jobs (report, scores, check, overview) are in ``clusterbook.jobs.ccpm``.
"""
