"""The CCPM report book: the preliminary report, and the sheets the cluster fills at and after
the workshop.

Sheets: Overview (function scores with their bands and a chart, sub-functions, the next due
date), one sheet per function (sub-functions, each question's score and answers, the
comments), Good practice (100 %) and constraints (75 % or less), Response rates, Workshop
groups, Annex I (status per function with amendment columns, priority actions), Follow-up
(month by month), Quarterly report (for the HC/HCT), Findings (when the data had problems),
About. A hidden results sheet keeps the scores for the inter-cluster overview.

Annex I, Follow-up, the quarterly report and the next due date are live Excel formulas: they
work in Excel without ClusterBook and give the same answers as ``clusterbook ccpm check``.
"""

from __future__ import annotations

from clusterbook.reports.ccpm_book.book import write_report_book

__all__ = ["write_report_book"]
