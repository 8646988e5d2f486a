"""Feedback back to the provinces: one book per province from a review book.

Each book holds the province's clusters with the reviewers' status, comment and priority, and
every finding in the files the province sent, so that districts know what to correct and
send again. The review book is only read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from xlsxwriter.workbook import Workbook

from clusterbook.consolidate.layout import (
    FEEDBACK,
    FEEDBACK_COLUMNS,
    FILE_COLUMNS,
    FILES,
    ISSUE_COLUMNS,
    ISSUES,
    Column,
)
from clusterbook.consolidate.review_book import WIDEST, fit_row, header_lines, read_review_tables
from clusterbook.domain.clusterlist import place_key
from clusterbook.domain.consolidation import REVIEW_STATUSES
from clusterbook.domain.values import clean_text
from clusterbook.excel.write import (
    MOMENT_FORMAT,
    new_workbook,
    print_ready,
    stamp_moment,
    stamp_words,
)
from clusterbook.jobs.progress import Progress, unheard
from clusterbook.styles import FINDING_COLOURS, HEADER, STATUS_COLOURS, TITLE_SIZE

#: The book for files whose province cannot be told from their forms or their name.
UNPLACED: Final = "Province not known"
_FEEDBACK_KEYS: Final = ("district", "cluster_code", "cluster_name", "status", "comment",
                         "priority", "low_performing", "microplan", "action_plan",
                         "last_received")
_FINDING_KEYS: Final = ("severity", "rule", "message", "file", "sheet", "cell", "value",
                        "district", "clusters", "outcome")
_STATUS_COLOURS: Final = {"Accepted": STATUS_COLOURS["On track"],
                          "Returned": STATUS_COLOURS["Low performing"],
                          "Pending": STATUS_COLOURS["Watch"]}
_TOKENS: Final = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class ProvinceFeedback:
    """One province's rows of the review book."""

    province: str
    clusters: list[dict[str, Any]]
    findings: list[dict[str, Any]]


def feedback_by_province(review_book: Path | str) -> tuple[str, list[ProvinceFeedback]]:
    """Each province's clusters and findings in a review book (and the time it was merged).
    A finding of a file whose province its forms do not say (an unreadable file) goes to the
    province whose district or name the file's name carries, else to 'Province not known'."""
    info, tables = read_review_tables(review_book, {FEEDBACK: FEEDBACK_COLUMNS,
                                                    ISSUES: ISSUE_COLUMNS,
                                                    FILES: FILE_COLUMNS})
    paths = {(clean_text(row["file"]), clean_text(row["fingerprint"])): clean_text(row["relative"])
             for row in tables[FILES]}
    clusters: dict[str, list[dict[str, Any]]] = {}
    provinces: dict[str, str] = {}
    districts: dict[str, str] = {}
    for row in tables[FEEDBACK]:
        province = clean_text(row["province"])
        clusters.setdefault(province, []).append(row)
        if province:
            provinces.setdefault(place_key(province), province)
            districts.setdefault(place_key(row["district"]), province)
    findings: dict[str, list[dict[str, Any]]] = {}
    for row in tables[ISSUES]:
        file = clean_text(row["file"])
        where = paths.get((file, clean_text(row["fingerprint"]))) or file
        province = clean_text(row["province"]).split(",")[0].strip() or \
            _province_of(where, provinces, districts)
        findings.setdefault(province, []).append(row)
    names = list(dict.fromkeys([*clusters, *findings]))
    ordered = sorted(names, key=lambda name: (name in ("", UNPLACED), place_key(name)))
    return info.written, [ProvinceFeedback(name or UNPLACED, clusters.get(name, []),
                                           findings.get(name, [])) for name in ordered]


def _province_of(path: str, provinces: dict[str, str], districts: dict[str, str]) -> str:
    """The province a file's folders or name name, by a district's or province's name."""
    parts = [part for part in re.split(r"[\\/]", path) if part]
    for text in [*parts, *(token for part in parts for token in _TOKENS.findall(part))]:
        key = place_key(text.rsplit(".", 1)[0] if text == parts[-1] else text)
        if key in districts:
            return districts[key]
        if key in provinces:
            return provinces[key]
    return UNPLACED


@dataclass(frozen=True)
class FeedbackRequest:
    """Write '<Province> feedback.xlsx' for every province of a review book into ``out_dir``
    (names made safe and unique; a book already there is kept as '... (old).xlsx')."""

    review_book: Path
    out_dir: Path


@dataclass(frozen=True)
class FeedbackResult:
    """The feedback books written, one per province."""

    books: list[Path]


def write_feedback_books(request: FeedbackRequest, progress: Progress | None = None
                         ) -> FeedbackResult:
    """Write the feedback books of a review book."""
    from clusterbook.outputs import keep_old_copy, safe_names

    report = progress or unheard
    review_book = Path(request.review_book)
    report(0, 1, f"Reading {review_book.name}")
    written, provinces = feedback_by_province(review_book)
    folder = Path(request.out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    names = safe_names([item.province for item in provinces], fallback=UNPLACED)
    for done, (item, name) in enumerate(zip(provinces, names, strict=True)):
        path = folder / f"{name} feedback.xlsx"
        report(done, len(provinces), f"Writing {path.name}")
        keep_old_copy(path)
        with new_workbook(path) as book:
            book.set_properties({"title": f"Feedback to {item.province}",
                                 "company": "ClusterBook"})
            _write(book, item, review_book.name, written)
        paths.append(path)
    return FeedbackResult(paths)


def _columns(keys: Sequence[str], columns: Sequence[Column]) -> list[Column]:
    by_key = {column.key: column for column in columns}
    return [by_key[key] for key in keys]


def _write(book: Workbook, item: ProvinceFeedback, source: str, written: str) -> None:
    title = book.add_format({"bold": True, "font_size": TITLE_SIZE, "font_color": HEADER.fill})
    note = book.add_format({"italic": True, "font_color": "595959"})
    header = book.add_format({"bold": True, "bg_color": HEADER.fill, "font_color": HEADER.text,
                              "text_wrap": True, "valign": "vcenter", "border": 1,
                              "border_color": "FFFFFF"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    top = book.add_format({"valign": "top"})
    counts = {status: sum(1 for row in item.clusters if clean_text(row["status"]) == status)
              for status in REVIEW_STATUSES}
    when = stamp_words(written)
    moment = book.add_format({"num_format": MOMENT_FORMAT, "align": "left", "valign": "top"})
    sheets = (
        ("Feedback", _columns(_FEEDBACK_KEYS, FEEDBACK_COLUMNS), item.clusters,
         f"Feedback to {item.province}",
         f"From the review of {source} (merged {when}): "
         + ", ".join(f"{counts[status]} {status.lower()}" for status in REVIEW_STATUSES)
         + ". Returned clusters need a corrected submission.", "status", _STATUS_COLOURS),
        ("Findings", _columns(_FINDING_KEYS, ISSUE_COLUMNS), item.findings,
         f"What to correct in the files from {item.province}",
         f"{len(item.findings)} findings. Errors keep a submission from counting as valid: "
         f"correct them and send the file again.", "severity", FINDING_COLOURS),
    )
    for name, columns, rows, heading, line, coloured, colours in sheets:
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, heading, title)
        sheet.write_string(1, 0, line, note)
        # A column as wide as its longest value (up to WIDEST characters; longer ones wrap),
        # so that every value prints whole; headers wrap whole in their row.
        widths = [max(column.width, min(WIDEST, 1.1 * max(
            (len(clean_text(row.get(column.key))) for row in rows), default=0) + 1))
            for column in columns]
        wrapped = {index: width for index, (column, width) in enumerate(zip(columns, widths,
                                                                             strict=True))
                   if column.wrap or column.key == "comment"
                   or any(len(clean_text(row.get(column.key))) * 1.1 + 1 > width
                          for row in rows)}
        for index, column in enumerate(columns):
            sheet.write_string(2, index, column.header, header)
            sheet.set_column(index, index, widths[index], wrap if index in wrapped else top)
        sheet.set_row(2, max(32, 15 * max(header_lines(column.header, width)
                                          for column, width in zip(columns, widths,
                                                                   strict=True)) + 2))
        for offset, row in enumerate(rows, start=3):
            fit_row(sheet, offset, [clean_text(row.get(column.key)) for column in columns],
                    wrapped)
            for index, column in enumerate(columns):
                value = row.get(column.key)
                if value is None or value == "":
                    continue
                if isinstance(value, float) and value.is_integer():
                    value = int(value)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(offset, index, value)
                elif stamp_moment(value) is not None:
                    sheet.write_datetime(offset, index, stamp_moment(value), moment)
                else:
                    sheet.write_string(offset, index, clean_text(value))
        last = 3 + max(len(rows), 1) - 1
        position = [column.key for column in columns].index(coloured)
        for value, colour in colours.items():
            cell_format = book.add_format({"bg_color": colour.fill, "font_color": colour.text})
            sheet.conditional_format(3, position, last, position, {
                "type": "cell", "criteria": "==", "value": f'"{value}"',
                "format": cell_format})
        sheet.freeze_panes(3, 0)
        sheet.autofilter(2, 0, last, len(columns) - 1)
        print_ready(sheet, header_row=2)
