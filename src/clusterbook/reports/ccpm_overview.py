"""The inter-cluster overview book: several clusters' CCPM results side by side.

Sheets: Matrix (final status of each function and sub-function in each cluster, in band
colours; amended statuses marked, with the computed one in a note), Scores (the same matrix
as scores), Counts (clusters per status for each function, with a chart), Common weaknesses
(functions, sub-functions and questions weak in several clusters), About.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from clusterbook import __version__
from clusterbook.domain.ccpm import COMMON_IN, group_name, status_for
from clusterbook.excel.write import BookFormats, new_workbook, print_ready
from clusterbook.forms.ccpm_bank import FUNCTION_SHORT_NAMES, STATUSES
from clusterbook.styles import BAND_COLOURS, HEADER


class _Formats(BookFormats):
    def __init__(self, book: Workbook) -> None:
        super().__init__(book)
        add = book.add_format
        self.header_centre = add({"bold": True, "bg_color": HEADER.fill,
                                  "font_color": HEADER.text, "text_wrap": True,
                                  "valign": "vcenter", "align": "center", "border": 1,
                                  "border_color": "FFFFFF"})
        border = {"border": 1, "border_color": "D9D9D9", "valign": "top"}
        self.text = add({**border, "text_wrap": True})
        self.bold_text = add({**border, "text_wrap": True, "bold": True})
        self.centre = add({**border, "align": "center"})
        # Centred under their headers, apart from the text beside them.
        self.count = add({**border, "num_format": "0", "align": "center"})
        self.score = add({**border, "num_format": "0.0", "align": "center"})
        self.band = {status: add({"bg_color": colour.fill, "font_color": colour.text,
                                  "bold": True, "align": "center", "valign": "top",
                                  "border": 1, "border_color": "FFFFFF", "text_wrap": True})
                     for status, colour in BAND_COLOURS.items()}
        self.band_score = {status: add({"bg_color": colour.fill, "font_color": colour.text,
                                        "num_format": "0.0", "align": "center",
                                        "valign": "top", "border": 1,
                                        "border_color": "FFFFFF"})
                           for status, colour in BAND_COLOURS.items()}
        self.amended = {status: add({"bg_color": colour.fill, "font_color": colour.text,
                                     "bold": True, "italic": True, "align": "center",
                                     "valign": "top", "border": 2, "border_color": "404040",
                                     "text_wrap": True})
                        for status, colour in BAND_COLOURS.items()}


def write_overview_book(statuses: pd.DataFrame, matrix: pd.DataFrame, scores: pd.DataFrame,
                        weaknesses: pd.DataFrame, path: Path | str, *,
                        sources: list[str]) -> Path:
    """Write the overview book atomically.

    ``statuses``: cluster, function, computed_status, amended_status, final_status, score;
    ``matrix`` and ``scores``: one row per function, one column per cluster;
    ``weaknesses``: from :func:`clusterbook.domain.ccpm.common_weaknesses`.
    """
    path = Path(path)
    with new_workbook(path) as book:
        fmt = _Formats(book)
        _matrix_sheet(book, fmt, statuses, matrix)
        _scores_sheet(book, fmt, scores)
        _counts_sheet(book, fmt, matrix)
        _weaknesses_sheet(book, fmt, weaknesses, len(matrix.columns))
        _about_sheet(book, fmt, sources)
    return path


_NAME_WIDTH = 60


def _height(text: str, width: float) -> float:
    """A row height showing wrapped text in ``width`` characters (wrapped at spaces, as the
    spreadsheet wraps it)."""
    per_line = max(int(width * 1.05), 1)
    return 15.0 * max(1, len(textwrap.wrap(text, per_line)))


def _cluster_columns(sheet: Worksheet, fmt: _Formats, row: int, clusters: list[str]) -> None:
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, _NAME_WIDTH)
    sheet.set_column(2, 1 + len(clusters), 15)
    sheet.merge_range(row, 0, row, 1, "Function", fmt.header)
    for offset, cluster in enumerate(clusters, start=2):
        sheet.write_string(row, offset, cluster, fmt.header_centre)
    # Cluster names wrap in their 15-character columns: the row shows every line.
    sheet.set_row(row, max([32.0, *(_height(cluster, 13) + 2 for cluster in clusters)]))


def _label_cells(sheet: Worksheet, fmt: _Formats, row: int, group: str, *,
                 short: bool = False) -> None:
    top = "." not in group
    name = FUNCTION_SHORT_NAMES[group] if short and top else group_name(group)
    sheet.write_string(row, 0, group, fmt.centre)
    sheet.write_string(row, 1, name, fmt.bold_text if top else fmt.text)
    sheet.set_row(row, _height(name, _NAME_WIDTH))


def _matrix_sheet(book: Workbook, fmt: _Formats, statuses: pd.DataFrame, matrix: pd.DataFrame
                  ) -> None:
    sheet = book.add_worksheet("Matrix")
    clusters = [str(column) for column in matrix.columns]
    sheet.write_string(0, 0, "CCPM inter-cluster overview: final status of each function",
                       fmt.title)
    sheet.merge_range(1, 0, 1, 1 + len(clusters),
                      "The final status is the one agreed at the cluster's workshop: amended "
                      "statuses are in italics with a dark border, and listed below with the "
                      "computed one and the reason.", fmt.wrapped_note)
    sheet.set_row(1, 30)
    header = 3
    _cluster_columns(sheet, fmt, header, clusters)
    amended = statuses[statuses["amended_status"].map(lambda v: bool(str(v).strip()))]
    amended_cells = {(row.cluster, row.function): row for row in amended.itertuples()}
    row = header
    for group, line in matrix.iterrows():
        row += 1
        _label_cells(sheet, fmt, row, str(group))
        for offset, cluster in enumerate(clusters, start=2):
            status = str(line[cluster])
            note = amended_cells.get((cluster, group))
            cell_format = (fmt.amended if note is not None else fmt.band).get(status, fmt.centre)
            sheet.write_string(row, offset, status, cell_format)
    row += 2
    sheet.write_string(row, 0, f"Amended statuses ({len(amended)})", fmt.subtitle)
    for note in amended.itertuples():
        row += 1
        text = (f"{note.cluster}, function {note.function}: {note.final_status} agreed, "
                f"{note.computed_status} computed. {note.reason}").strip()
        sheet.merge_range(row, 1, row, 1 + len(clusters), text, fmt.text)
        sheet.set_row(row, _height(text, _NAME_WIDTH + 15 * len(clusters)))
    sheet.freeze_panes(header + 1, 2)
    print_ready(sheet, header_row=header)
    sheet.fit_to_pages(1, 1)  # one page: the matrix with the amendments it marks


def _scores_sheet(book: Workbook, fmt: _Formats, scores: pd.DataFrame) -> None:
    sheet = book.add_worksheet("Scores")
    clusters = [str(column) for column in scores.columns]
    sheet.write_string(0, 0, "Scores (%) of each function and sub-function", fmt.title)
    sheet.merge_range(1, 0, 1, 1 + len(clusters), "As computed from each cluster's survey, "
                                                  "before any amendment.", fmt.wrapped_note)
    header = 3
    _cluster_columns(sheet, fmt, header, clusters)
    row = header
    for group, line in scores.iterrows():
        row += 1
        _label_cells(sheet, fmt, row, str(group))
        for offset, cluster in enumerate(clusters, start=2):
            value = line[cluster]
            if pd.isna(value):
                sheet.write_blank(row, offset, None, fmt.score)
            else:
                sheet.write_number(row, offset, float(value),
                                   fmt.band_score[status_for(float(value))])
    sheet.freeze_panes(header + 1, 2)
    print_ready(sheet, header_row=header)


def _counts_sheet(book: Workbook, fmt: _Formats, matrix: pd.DataFrame) -> None:
    sheet = book.add_worksheet("Counts")
    sheet.set_column(0, 0, 7)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 1 + len(STATUSES), 13)
    sheet.write_string(0, 0, "How many clusters are in each band, function by function",
                       fmt.title)
    header = 2
    sheet.merge_range(header, 0, header, 1, "Function", fmt.header)
    for offset, status in enumerate(STATUSES, start=2):
        sheet.write_string(header, offset, status, fmt.header_centre)
    functions = [group for group in matrix.index if "." not in str(group)]
    for row, group in enumerate(functions, start=header + 1):
        _label_cells(sheet, fmt, row, str(group), short=True)
        sheet.set_row(row, None)
        line = matrix.loc[group]
        for offset, status in enumerate(STATUSES, start=2):
            sheet.write_number(row, offset, int((line == status).sum()), fmt.count)
    last = header + len(functions)
    chart = book.add_chart({"type": "bar", "subtype": "stacked"})
    for offset, status in enumerate(STATUSES, start=2):
        chart.add_series({
            "name": ["Counts", header, offset],
            "categories": ["Counts", header + 1, 1, last, 1],
            "values": ["Counts", header + 1, offset, last, offset],
            "fill": {"color": "#" + BAND_COLOURS[status].fill},
            "border": {"color": "#7F7F7F"},
            "gap": 60,
        })
    chart.set_y_axis({"reverse": True})
    chart.set_x_axis({"name": "Clusters", "major_unit": 1, "num_format": "0", "min": 0,
                      "max": len(matrix.columns)})
    chart.set_legend({"position": "bottom"})
    chart.set_title({"name": "Clusters per status", "name_font": {"size": 11}})
    chart.set_size({"width": 720, "height": 300})
    sheet.insert_chart(last + 2, 0, chart)
    print_ready(sheet, header_row=header)


def _weaknesses_sheet(book: Workbook, fmt: _Formats, weaknesses: pd.DataFrame,
                      clusters: int) -> None:
    sheet = book.add_worksheet("Common weaknesses")
    widths = (13, 8, 56, 9, 60)
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width)
    sheet.write_string(0, 0, "Weaknesses common to several clusters", fmt.title)
    sheet.merge_range(1, 0, 1, 4, f"Functions and sub-functions Unsatisfactory or Weak, and "
                                  f"questions at 75 % or less, in at least {COMMON_IN} of the "
                                  f"{clusters} clusters.", fmt.wrapped_note)
    header = 3
    for offset, text in enumerate(("Kind", "Id", "Name", "Clusters", "Which")):
        sheet.write_string(header, offset, text, fmt.header)
    if weaknesses.empty:
        sheet.write_string(header + 1, 0, "No weakness is shared by several clusters.",
                           fmt.note)
    for row, line in enumerate(weaknesses.itertuples(index=False), start=header + 1):
        sheet.write_string(row, 0, str(line.kind), fmt.text)
        sheet.write_string(row, 1, str(line.id), fmt.centre)
        sheet.write_string(row, 2, str(line.name), fmt.text)
        sheet.write_number(row, 3, int(line.clusters), fmt.count)
        sheet.write_string(row, 4, str(line.detail), fmt.text)
        sheet.set_row(row, max(_height(str(line.name), widths[2]),
                               _height(str(line.detail), widths[4])))
    sheet.freeze_panes(header + 1, 0)
    print_ready(sheet, header_row=header)


def _about_sheet(book: Workbook, fmt: _Formats, sources: list[str]) -> None:
    sheet = book.add_worksheet("About")
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 90)
    sheet.write_string(0, 0, "About this overview", fmt.title)
    rows = [("Reports", ", ".join(sources)),
            ("Final status", "The status each cluster's workshop agreed (Annex I); the "
                             "computed status where none was amended."),
            ("Common", f"Shared by at least {COMMON_IN} clusters."),
            ("Made by", f"ClusterBook {__version__} on {dt.date.today():%d/%m/%Y}")]
    for row, (label, value) in enumerate(rows, start=2):
        sheet.write_string(row, 0, label, fmt.bold_text)
        sheet.write_string(row, 1, value, fmt.text)
    print_ready(sheet)

