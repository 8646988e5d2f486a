"""Reading a CCPM report book back after the workshop: the scores it was made with, Annex I
as the cluster filled it (amended statuses, priority actions) and the monthly follow-up.

Cells are found through the report's form description (``clusterbook.forms.ccpm``), never
by guessing; a book that is not a ClusterBook CCPM report is refused with a plain message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from clusterbook.domain.ccpm import function_of
from clusterbook.domain.errors import WorkbookError
from clusterbook.domain.values import clean_text, to_date
from clusterbook.excel.read import SheetData, open_workbook, read_sheet
from clusterbook.forms.ccpm import (
    ANNEX_ACTIONS,
    ANNEX_STATUS,
    CCPM_REPORT,
    FACT_ROWS,
    FOLLOW_UP,
    MONTHS,
    RESULT_COLUMNS,
    RESULTS_SHEET,
)
from clusterbook.forms.schema import FORM_ID_ROW, FORM_SHEET, FORM_VERSION_ROW, TableSection


@dataclass
class FilledReport:
    """A CCPM report book as the cluster filled it."""

    file: str
    facts: dict[str, str]
    results: pd.DataFrame
    statuses: pd.DataFrame
    actions: pd.DataFrame
    follow_up: pd.DataFrame

    @property
    def cluster(self) -> str:
        name = self.facts.get("cluster", "") or Path(self.file).stem
        country = self.facts.get("country", "")
        return f"{name} ({country})" if country else name

    @property
    def ccpm_date(self) -> dt.date | None:
        try:
            return to_date(self.facts.get("ccpm_date"))
        except ValueError:
            return None


def _section_rows(sheet: SheetData, section: TableSection) -> pd.DataFrame:
    records = []
    for row in range(section.first_data_row, section.last_data_row + 1):
        record: dict[str, Any] = {"row": row}
        for item in section.fields:
            record[item.key] = sheet.value(row, section.column_index(item.key))
        records.append(record)
    return pd.DataFrame(records, columns=["row", *(item.key for item in section.fields)],
                        dtype=object)


def read_report(path: Path | str) -> FilledReport:
    """A filled CCPM report book (``clusterbook ccpm report`` made it)."""
    path = Path(path)
    book = open_workbook(path)
    try:
        names = book.sheet_names
        if FORM_SHEET not in names:
            raise WorkbookError(path.name, "this is not a CCPM report made by ClusterBook (it "
                                           "has no form sheet); make one with 'clusterbook "
                                           "ccpm report'")
        form = read_sheet(book, FORM_SHEET, file=path.name)
        form_id = clean_text(form.value(FORM_ID_ROW, 2))
        version = clean_text(form.value(FORM_VERSION_ROW, 2))
        if form_id != CCPM_REPORT.form_id:
            raise WorkbookError(path.name, f"this is a '{form_id or 'unknown'}' workbook, not a "
                                           f"CCPM report")
        if not CCPM_REPORT.reads(version):
            raise WorkbookError(path.name, f"this CCPM report is version {version}; this "
                                           f"ClusterBook reads version {CCPM_REPORT.version}")
        facts = {key: clean_text(form.value(row, 2))
                 for row, key in enumerate(FACT_ROWS, start=FORM_VERSION_ROW + 1)}
        results_sheet = read_sheet(book, RESULTS_SHEET, file=path.name)
        annex = read_sheet(book, ANNEX_STATUS.sheet, file=path.name)
        actions_sheet = read_sheet(book, ANNEX_ACTIONS.sheet, file=path.name)
        follow = read_sheet(book, FOLLOW_UP.sheet, file=path.name)
    finally:
        book.close()
    results = pd.DataFrame(
        [[row[index] if index < len(row) else "" for index in range(len(RESULT_COLUMNS))]
         for row in results_sheet.rows[1:] if row and clean_text(row[0])],
        columns=list(RESULT_COLUMNS))
    results["score"] = pd.to_numeric(results["score"].replace("", None), errors="coerce")
    statuses = _section_rows(annex, ANNEX_STATUS)
    statuses["function"] = statuses["function"].map(function_of)
    actions = _section_rows(actions_sheet, ANNEX_ACTIONS)
    months = _section_rows(follow, FOLLOW_UP)
    # The follow-up rows mirror the action rows one for one (its first columns are formulas
    # on them), so the action's own cells are the truth.
    follow_up = months[["row", *(f"month_{m}" for m in range(1, MONTHS + 1)), "note"]].copy()
    follow_up.insert(1, "function", actions["function"].to_numpy())
    follow_up.insert(2, "action", actions["action"].to_numpy())
    return FilledReport(path.name, facts, results, statuses, actions, follow_up)
