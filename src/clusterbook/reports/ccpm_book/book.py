"""The CCPM report book written whole: every sheet, in order, atomically."""

from __future__ import annotations

from pathlib import Path

from clusterbook import __version__
from clusterbook.excel.write import new_workbook
from clusterbook.forms.ccpm_bank import FUNCTIONS
from clusterbook.reports.ccpm_book.annex import write_annex_actions, write_annex_status
from clusterbook.reports.ccpm_book.follow_up import write_follow_up, write_quarterly
from clusterbook.reports.ccpm_book.formats import Formats
from clusterbook.reports.ccpm_book.functions import write_function_sheet, write_practice
from clusterbook.reports.ccpm_book.overview import write_overview
from clusterbook.reports.ccpm_book.records import (
    write_about,
    write_findings,
    write_form_sheet,
    write_results,
)
from clusterbook.reports.ccpm_book.responses import write_rates
from clusterbook.reports.ccpm_book.workshop import write_workshop
from clusterbook.reports.ccpm_content import ReportContent


def write_report_book(content: ReportContent, path: Path | str) -> Path:
    """Write the CCPM report book atomically and return its path."""
    path = Path(path)
    with new_workbook(path) as book:
        book.set_properties({"title": f"CCPM report: {content.survey.description.title}",
                             "comments": f"Made by ClusterBook {__version__}"})
        fmt = Formats(book)
        write_overview(book, fmt, content)
        for function in FUNCTIONS:
            write_function_sheet(book, fmt, content, function)
        write_practice(book, fmt, content)
        write_rates(book, fmt, content)
        write_workshop(book, fmt, content)
        write_annex_status(book, fmt, content)
        write_annex_actions(book, fmt, content)
        write_follow_up(book, fmt, content)
        write_quarterly(book, fmt, content)
        if content.findings:
            write_findings(book, fmt, content)
        write_about(book, fmt, content)
        write_results(book, content)
        write_form_sheet(book, content)
        book.worksheets()[0].activate()
    return path
