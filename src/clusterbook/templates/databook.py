"""The campaign data book: clusters, PCA and refusals in, flags out by native formulas.

The book needs no Python, no add-in and no macro: every flag is an Excel 2010 formula (IF,
AND, OR, ISNUMBER, INDEX, MATCH, COUNTIF(S), ROUND, AVERAGE), so old Excel and LibreOffice
compute it as data is typed. The rule of ``low-performing-clusters.md`` is walked round by round
in hidden helper sheets, one cell per cluster per round, each referring to the previous round's
column (a round without a label carries the previous values through unchanged):

- ``_below``: rounds in a row below the benchmark; ``_refusal``: rounds in a row with refusal
  above the threshold; ``_good``: rounds in a row above the exit benchmark;
- ``_list``: the round number the cluster entered the list when it is on the list (> 0), minus
  the last entry round when it is off (< 0), 0 when never listed.

``Status`` turns those into the status text; ``Current`` reads the last round (the helpers'
last column holds the last labelled round's values) and writes the reasons exactly as the
engine's ``reason_text``; ``Dashboard`` counts per district.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import CellFormulaTuple, Worksheet

from clusterbook.domain.errors import InputError
from clusterbook.domain.rules import (
    STATUS_LABELS,
    BenchmarkChoice,
    RuleParameters,
    fixed_benchmark,
    to_matrix,
)
from clusterbook.excel.write import new_workbook, print_ready
from clusterbook.forms.cells import cell_ref, column_letter, range_ref, sheet_ref
from clusterbook.forms.databook import (
    ADDIN_SHEET,
    BENCHMARKS,
    CLUSTERS,
    CURRENT_SHEET,
    DASHBOARD_SHEET,
    DATABOOK,
    LAST_ROUND_NAME,
    MAX_CLUSTERS,
    MAX_ROUNDS,
    OVERRIDE,
    PARAMETER_NAMES,
    PARAMETERS,
    PCA,
    REFUSALS,
    STATUS_FIRST_COLUMN,
    STATUS_SHEET,
    DataBookRoom,
    RoundGrid,
    room_for,
)
from clusterbook.forms.schema import FormData
from clusterbook.styles import HEADER, INPUT_CELL, STATUS_COLOURS
from clusterbook.templates.databook_values import (
    DASHBOARD_DISTRICTS,
    DataBookValues,
    compute_values,
)
from clusterbook.templates.form_book import (
    ADDIN_HELP,
    BUILD_TIME,
    PROTECTION,
    FormRecord,
    SheetLayout,
    Styles,
    add_instructions_sheet,
    addin_guarded,
    validate_cells,
    write_record,
    write_sections,
)

RUNS_SHEET, LIST_SHEET = "_runs", "_list"
DISTRICTS_SHEET = "_districts"
#: Round labels that are dates show as dates; labels typed as text show as typed.
LABEL_FORMAT = "[>=36526]dd/mm/yyyy;General"
#: What the template's charts span before any data (the framework's region: 24 districts).
TEMPLATE_CHART_DISTRICTS, TEMPLATE_CHART_ROUNDS = 24, 12
_PRINT_ROWS_WHEN_EMPTY = 40

ADDIN_NOTE = ("This sheet uses the ClusterBook add-in's CLUSTER_FLAGS function; without the "
              "add-in the cell below says so. " + ADDIN_HELP + " The Status and Current "
              "sheets give the same flags without it; every other sheet of this book works the "
              "same with or without the add-in. Only the first row prints (the Current sheet "
              "prints every cluster's flags); to print more, select rows and print the "
              "selection.")
ADDIN_HEADERS = ("Status in the last round", "Reasons", "Entered the list", "Rounds on the list")


class ClassicFormulaSheet(Worksheet):
    """A worksheet for formulas that use only classic (Excel 2010) functions.

    XlsxWriter scans every formula for the newer functions it must prefix (FILTER, LET...),
    with some sixty regular expressions per formula; this book forbids those functions, and
    writes about 400,000 formulas, so the scan is skipped.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        return formula.removeprefix("=")

    def put_formula(self, row: int, column: int, formula: str, cell_format: Format | None,
                    value: object) -> None:
        """Store a classic formula at a 0-based cell, skipping the checks for spilling and
        array formulas that ``write_formula`` makes (this book writes none there)."""
        if self._check_dimensions(row, column):
            raise ValueError(f"cell ({row}, {column}) is outside the sheet")
        self.table[row][column] = CellFormulaTuple(formula.removeprefix("="), cell_format,
                                                   value)


# ---------------------------------------------------------------------------------------------
# What fills a book


@dataclass
class DataBookContent:
    """The values a data book is filled with: the cluster list and the round grids."""

    clusters: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=[item.key for item in CLUSTERS.fields]))
    rounds: list[Hashable] = field(default_factory=list)
    pca: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    refusal: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    overrides: dict[int, float] = field(default_factory=dict)  # round index -> benchmark
    parameters: RuleParameters = field(default_factory=RuleParameters)
    notice: str = ""

    def __post_init__(self) -> None:
        if len(self.clusters) > MAX_CLUSTERS:
            raise InputError(f"the data has {len(self.clusters):,} clusters; the data book has "
                             f"room for {MAX_CLUSTERS:,}. Split the region into several books.")
        if len(self.rounds) > MAX_ROUNDS:
            raise InputError(f"the data has {len(self.rounds)} rounds; the data book has room "
                             f"for {MAX_ROUNDS}. Keep the last {MAX_ROUNDS} rounds.")

    @property
    def is_empty(self) -> bool:
        return not len(self.clusters)


def databook_content(table: pd.DataFrame, *, clusters: pd.DataFrame | None = None,
                     parameters: RuleParameters | None = None,
                     benchmark: BenchmarkChoice = None, notice: str = "") -> DataBookContent:
    """The content of a data book from a prepared round table (see ``prepare_round_table``).

    ``clusters`` (optional, canonical column names) adds target population and households, and
    clusters that have no round data yet, at the bottom. ``benchmark`` is None or "mean" (the
    book's live regional average), one number, or {round label: number}; the numbers are
    written as the book's overrides.
    """
    matrix = to_matrix(table)
    listed = matrix.clusters.astype(object).copy()
    for column in ("target_population", "households"):
        listed[column] = None
    if clusters is not None and len(clusters):
        listed = _merge_cluster_list(listed, clusters)
    rounds = list(matrix.rounds)
    extra = len(listed) - len(matrix.clusters)
    pad = np.full((extra, len(rounds)), np.nan)
    return DataBookContent(
        clusters=listed.reset_index(drop=True), rounds=rounds,
        pca=np.vstack([matrix.pca, pad]), refusal=np.vstack([matrix.refusal, pad]),
        overrides=_overrides(rounds, benchmark), parameters=parameters or RuleParameters(),
        notice=notice)


def _merge_cluster_list(listed: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    extra_columns = [key for key in ("target_population", "households")
                     if key in clusters.columns]
    by_code = clusters.drop_duplicates("cluster_code").set_index(
        clusters.drop_duplicates("cluster_code")["cluster_code"].astype(str).str.strip())
    codes = listed["cluster_code"].astype(str)
    for column in extra_columns:
        listed[column] = codes.map(by_code[column]).astype(object).where(
            codes.isin(by_code.index), None).tolist()
    known = set(codes)
    missing = by_code[~by_code.index.isin(known)]
    if len(missing):
        extra = pd.DataFrame({key: missing[key].tolist() if key in missing.columns else None
                              for key in (item.key for item in CLUSTERS.fields)})
        extra["cluster_code"] = missing.index.tolist()
        listed = pd.concat([listed, extra], ignore_index=True)
    return listed


def _overrides(rounds: Sequence[Hashable], benchmark: BenchmarkChoice) -> dict[int, float]:
    if benchmark is None or (isinstance(benchmark, str) and benchmark.casefold() == "mean"):
        return {}
    if isinstance(benchmark, str):
        raise InputError("the data book computes each round's regional average live; a "
                         f"'{benchmark}' benchmark cannot be kept live there. Use the mean, a "
                         "fixed percent, or 'clusterbook flags' for a weighted benchmark.")
    if isinstance(benchmark, Mapping):
        unknown = [str(label) for label in benchmark if label not in rounds]
        if unknown:
            raise InputError(f"benchmarks were given for rounds that are not in the data: "
                             f"{', '.join(unknown)}")
        return {rounds.index(label): fixed_benchmark(value)
                for label, value in benchmark.items() if value is not None}
    value = fixed_benchmark(benchmark)
    return dict.fromkeys(range(len(rounds)), value)


# ---------------------------------------------------------------------------------------------
# References


def _cell(sheet: str | None, row: int, column: int, *, fixed_row: bool = False,
          fixed_column: bool = False, absolute: bool = False) -> str:
    ref = cell_ref(row, column, fixed_row=fixed_row, fixed_column=fixed_column,
                   absolute=absolute)
    return sheet_ref(sheet, ref) if sheet else ref


def _area(sheet: str, first_row: int, first_column: int, last_row: int,
          last_column: int) -> str:
    return sheet_ref(sheet, range_ref(first_row, first_column, last_row, last_column,
                                      absolute=True))


ROW = "§"  # stands for the row number in a formula template


def _row_template(sheet: str | None, column: int, *, fixed_column: bool = False) -> str:
    """A reference to ``column`` on the row a template is filled in for."""
    dollar = "$" if fixed_column else ""
    ref = f"{dollar}{column_letter(column)}{ROW}"
    return sheet_ref(sheet, ref) if sheet else ref


def _benchmark_cell(number: int, column: int) -> str:
    return _cell(BENCHMARKS.sheet, BENCHMARKS.row_of_round(number), column, absolute=True)


def _in_use(number: int) -> str:
    return _benchmark_cell(number, BENCHMARKS.in_use_column)


def _parameter(key: str) -> str:
    return PARAMETER_NAMES[key]


def _round_cell(grid: RoundGrid, sheet: str | None, number: int) -> str:
    return _row_template(sheet, grid.column_of_round(number))


# ---------------------------------------------------------------------------------------------
# The rule, as formula templates (one per round column; ROW marks the cluster's row)


#: The runs cell packs three streaks in one number: below + 100 x refusal + 10000 x good.
RUN_BASE = 100


def _run_parts(runs: str) -> tuple[str, str, str]:
    """The (below, refusal, good) streaks held in a runs cell."""
    return (f"MOD({runs},{RUN_BASE})", f"MOD(INT({runs}/{RUN_BASE}),{RUN_BASE})",
            f"INT({runs}/{RUN_BASE * RUN_BASE})")


def runs_formula(number: int) -> str:
    """The three streaks after round ``number``: each grows by one in a round that meets its
    condition and drops to 0 in a labelled round that does not (a missing value meets none);
    a round without a label carries them through."""
    pca = _round_cell(PCA, PCA.sheet, number)
    refusal = _round_cell(REFUSALS, REFUSALS.sheet, number)
    bench = _benchmark_cell(number, BENCHMARKS.used_column)
    conditions = (f"AND(ISNUMBER({pca}),ISNUMBER({bench}),{pca}<{bench})",
                  f"AND(ISNUMBER({refusal}),{refusal}>{_parameter('refusal_threshold')})",
                  f"AND(ISNUMBER({pca}),{pca}>{_parameter('exit_benchmark')})")
    if number == 1:
        grown = ("1", "1", "1")
        previous = "0"
    else:
        previous = _row_template(None, PCA.column_of_round(number - 1))
        grown = tuple(f"{part}+1" for part in _run_parts(previous))
    terms = [f"IF({condition},{value},0)" for condition, value in zip(conditions, grown,
                                                                        strict=True)]
    packed = f"{terms[0]}+{terms[1]}*{RUN_BASE}+{terms[2]}*{RUN_BASE * RUN_BASE}"
    return f"=IF({_in_use(number)}=0,{previous},{packed})"


def list_formula(number: int) -> str:
    """> 0: on the list since that round number; < 0: off, last entered in -that; 0: never."""
    n = _parameter("rounds")
    below, refusal, good = _run_parts(_round_cell(PCA, RUNS_SHEET, number))
    if number == 1:
        return f"=IF({_in_use(1)}=0,0,IF(OR({below}>={n},{refusal}>={n}),1,0))"
    previous = _row_template(None, PCA.column_of_round(number - 1))
    return (f"=IF({_in_use(number)}=0,{previous},"
            f"IF(OR({below}>={n},{refusal}>={n},AND({previous}>0,{good}<{n})),"
            f"IF({previous}>0,{previous},{number}),-ABS({previous})))")


def status_formula(number: int) -> str:
    code = _row_template(None, 1, fixed_column=True)
    on_list = _round_cell(PCA, LIST_SHEET, number)
    below, _, _ = _run_parts(_round_cell(PCA, RUNS_SHEET, number))
    pca = _round_cell(PCA, PCA.sheet, number)
    low, watch, on_track, no_data = (STATUS_LABELS[3], STATUS_LABELS[2], STATUS_LABELS[1],
                                     STATUS_LABELS[0])
    return (f'=IF(OR({_in_use(number)}=0,{code}=""),"",IF({on_list}>0,"{low}",'
            f'IF({below}>0,"{watch}",IF(ISNUMBER({pca}),"{on_track}","{no_data}"))))')


def _fill(template: str, row: int) -> str:
    return template.replace(ROW, str(row))


# ---------------------------------------------------------------------------------------------
# The book


def write_databook(path: Path | str, content: DataBookContent | None = None, *,
                   room: DataBookRoom | None = None) -> Path:
    """Write the data book to ``path`` atomically: blank, or filled with ``content``.

    Formulas are live (Excel or LibreOffice computes them as data is typed) and each stores
    the value it gives for ``content``, for viewers that do not recalculate. ``room`` (rows
    and round columns) defaults to the data plus headroom (``room_for``).
    """
    content = content or DataBookContent()
    room = room or room_for(len(content.clusters), len(content.rounds))
    if room.clusters < len(content.clusters) or room.rounds < len(content.rounds):
        raise InputError(f"a book with room for {room.clusters:,} clusters and {room.rounds} "
                         f"rounds cannot hold {len(content.clusters):,} clusters and "
                         f"{len(content.rounds)} rounds")
    path = Path(path)
    with new_workbook(path) as book:
        book.set_properties({"title": DATABOOK.title, "company": "ClusterBook",
                             "subject": f"{DATABOOK.form_id} {DATABOOK.version}",
                             "comments": content.notice, "created": BUILD_TIME})
        _Book(book, content, room).write()
    return path


class _Book:
    def __init__(self, book: Workbook, content: DataBookContent, room: DataBookRoom) -> None:
        self.book, self.content, self.room = book, content, room
        self.values: DataBookValues = compute_values(content, room)
        self.styles = Styles(book)
        self.record = FormRecord(book, DATABOOK)
        add = book.add_format
        self.label_header = add({"bold": True, "bg_color": HEADER.fill,
                                 "font_color": HEADER.text, "border": 1,
                                 "border_color": "FFFFFF", "align": "center",
                                 "num_format": LABEL_FORMAT})
        self.label_input = add({"bold": True, "bg_color": HEADER.fill,
                                "font_color": HEADER.text, "border": 1, "border_color": "FFFFFF",
                                "align": "center", "locked": False, "num_format": LABEL_FORMAT})
        self.grid_input = add({"locked": False, "bg_color": INPUT_CELL.fill, "border": 1,
                               "border_color": "D9D9D9", "num_format": "0.0##"})
        self.shown = add({"font_color": "404040", "bg_color": "F2F2F2", "border": 1,
                          "border_color": "D9D9D9"})
        self.label_cell = add({"num_format": LABEL_FORMAT, "align": "left"})
        self.number = add({"num_format": "0.0"})
        self.count = add({"num_format": "#,##0"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.bold = add({"bold": True})
        self.bold_count = add({"bold": True, "num_format": "#,##0"})
        self.bold_number = add({"bold": True, "num_format": "0.0"})
        self.status = {label: add({"bg_color": colour.fill, "font_color": colour.text})
                       for label, colour in STATUS_COLOURS.items()}
        self.date_input = add({"locked": False, "bold": True, "bg_color": HEADER.fill,
                               "font_color": HEADER.text, "align": "center",
                               "num_format": "dd/mm/yyyy"})
        count = len(content.clusters)
        self.used_rows = max(count, 1)
        self.chart_districts = (content.clusters["district"].nunique() if count
                                else TEMPLATE_CHART_DISTRICTS)
        self.chart_rounds = len(content.rounds) or TEMPLATE_CHART_ROUNDS

    def write(self) -> None:
        # The instructions end with the book's room (its rows and round columns).
        stated = replace(DATABOOK, instructions=(*DATABOOK.instructions, self.room.describe()))
        add_instructions_sheet(self.book, self.styles, stated, (
            ("Dashboard", "counts per district in the last round, with charts"),
            ("Current", "each cluster's status, reasons and entry round in the last round"),
            ("Status", "each cluster's status in every round"),
            ("Clusters", "the cluster list: type here"),
            ("PCA", "PCA coverage (%) per cluster and round, with the round labels: type here"),
            ("Refusals", "refusal rate (%) per cluster and round: type here"),
            ("Benchmarks", "N, the thresholds, and each round's benchmark (with overrides)"),
            (ADDIN_SHEET, "the same flags by the ClusterBook add-in (optional)"),
        ))
        dashboard = self._sheet(DASHBOARD_SHEET)
        current = self._sheet(CURRENT_SHEET)
        status = self._sheet(STATUS_SHEET)
        self._clusters()
        self._grid(self.room.pca, self.content.pca, labels=True)
        self._grid(self.room.refusals, self.content.refusal, labels=False)
        self._benchmarks()
        self._addin()
        for name, formula, values in ((RUNS_SHEET, runs_formula, self.values.runs),
                                      (LIST_SHEET, list_formula, self.values.on_list)):
            self._helper(name, formula, values)
        self._districts()
        self._status(status)
        self._current(current)
        self._dashboard(dashboard)
        self.record.finish()
        dashboard.activate()

    def _sheet(self, name: str) -> ClassicFormulaSheet:
        sheet: ClassicFormulaSheet = self.book.add_worksheet(
            name, worksheet_class=ClassicFormulaSheet)
        return sheet

    # -- inputs --------------------------------------------------------------------------

    def _clusters(self) -> None:
        sheet = self._sheet(CLUSTERS.sheet)
        rows = [{key: _plain(value) for key, value in record.items()}
                for record in self.content.clusters.to_dict("records")]
        data = FormData(DATABOOK, tables={CLUSTERS.key: rows})
        write_sections(sheet, self.styles, self.record, DATABOOK, (self.room.cluster_list,),
                       data)
        self._print_rows(sheet, CLUSTERS.header_row, len(CLUSTERS.fields))

    def _print_rows(self, sheet: Worksheet, header_row: int, last_column: int) -> None:
        rows = len(self.content.clusters) if not self.content.is_empty \
            else _PRINT_ROWS_WHEN_EMPTY
        sheet.print_area(0, 0, header_row + rows - 1, last_column - 1)

    def _cluster_columns(self, sheet: Worksheet, grid_first_row: int, code_column: int,
                         district_column: int | None, header_row: int) -> None:
        """Cluster code (and district) shown from 'Clusters', row for row."""
        code = CLUSTERS.column_index("cluster_code")
        district = CLUSTERS.column_index("district")
        sheet.write_string(header_row - 1, code_column - 1, "Cluster code", self.styles.header)
        if district_column is not None:
            sheet.write_string(header_row - 1, district_column - 1, "District",
                               self.styles.header)
        codes, districts = self.values.codes, self.values.districts
        for offset in range(self.room.clusters):
            row = grid_first_row + offset
            source = CLUSTERS.first_data_row + offset
            sheet.write_formula(row - 1, code_column - 1,
                                _shown(CLUSTERS.sheet, source, code), self.shown, codes[offset])
            if district_column is not None:
                sheet.write_formula(row - 1, district_column - 1,
                                    _shown(CLUSTERS.sheet, source, district), self.shown,
                                    districts[offset])

    def _grid(self, grid: RoundGrid, values: np.ndarray, *, labels: bool) -> None:
        sheet = self._sheet(grid.sheet)
        styles = self.styles
        sheet.write_string(0, 0, grid.title, styles.title)
        note = (f"Type the round labels in row {grid.header_row} (left to right, in campaign "
                "order), then the values: percents from 0 to 100 (93 for 93 %); leave a cell "
                "blank when the cluster was not assessed." if labels else
                f"Round labels come from sheet '{PCA.sheet}'. Type percents from 0 to 100 (93 "
                "for 93 %); leave a cell blank when the cluster was not assessed.")
        sheet.write_string(1, 0, note, styles.line_note)
        self._cluster_columns(sheet, grid.first_data_row, grid.code_column,
                              grid.district_column, grid.header_row)
        rounds = self.content.rounds
        for number in range(1, grid.rounds + 1):
            column = grid.column_of_round(number) - 1
            if labels:
                label = rounds[number - 1] if number <= len(rounds) else None
                _write_label(sheet, grid.header_row - 1, column, label, self.label_input,
                             self.date_input)
            else:
                source = _cell(PCA.sheet, PCA.header_row, PCA.column_of_round(number),
                               fixed_row=True)
                sheet.write_formula(grid.header_row - 1, column,
                                    f'=IF({source}="","",{source})', self.label_header,
                                    self.values.labels[number - 1])
        count = len(self.content.clusters)
        for offset in range(grid.rows):
            row = grid.first_data_row - 1 + offset
            for number in range(1, grid.rounds + 1):
                column = grid.column_of_round(number) - 1
                value = (values[offset, number - 1]
                         if offset < count and number <= len(rounds) else math.nan)
                if math.isnan(value):
                    sheet.write_blank(row, column, None, self.grid_input)
                else:
                    sheet.write_number(row, column, float(value), self.grid_input)
        for number in range(1, grid.rounds + 1):
            validate_cells(sheet, self.record, grid.value, grid.first_data_row,
                           grid.column_of_round(number), grid.last_data_row)
        # A value typed under a round without a label is not counted: the header turns red.
        first, last = grid.column_of_round(1), grid.last_column
        header = cell_ref(grid.header_row, first, fixed_row=True)
        sheet.conditional_format(grid.header_row - 1, first - 1, grid.header_row - 1, last - 1, {
            "type": "formula",
            "criteria": f'=AND({header}="",COUNT({_column_below(grid, first)})>0)',
            "format": self.book.add_format({"bg_color": "C00000"})})
        sheet.set_column(0, 0, 13)
        sheet.set_column(1, 1, 14)
        sheet.set_column(first - 1, last - 1, 8.5)
        sheet.set_row(grid.header_row - 1, 20)
        sheet.freeze_panes(grid.header_row, grid.first_column - 1)
        print_ready(sheet, header_row=grid.header_row - 1)
        sheet.repeat_columns(0, 1)
        last_print = grid.column_of_round(max(len(rounds), TEMPLATE_CHART_ROUNDS))
        rows_shown = count or _PRINT_ROWS_WHEN_EMPTY
        sheet.print_area(0, 0, grid.header_row + rows_shown - 1, last_print - 1)
        sheet.protect("", PROTECTION)

    def _benchmarks(self) -> None:
        sheet = self._sheet(BENCHMARKS.sheet)
        styles, table = self.styles, self.room.benchmarks
        widths = {table.count_column: 11.0, table.average_column: 11.0,
                  table.override_column: 11.0, table.used_column: 11.0,
                  table.in_use_column: 9.0}
        layout = SheetLayout()
        parameters = self.content.parameters
        values = {"rounds": parameters.rounds, "refusal_threshold": parameters.refusal_threshold,
                  "exit_benchmark": parameters.exit_benchmark}
        write_record(sheet, styles, self.record, PARAMETERS,
                     FormData(DATABOOK, records={PARAMETERS.key: values}), layout, widths)
        for key, name in PARAMETER_NAMES.items():
            self.book.define_name(name, "=" + _cell(PARAMETERS.sheet, PARAMETERS.row_of(key),
                                                    PARAMETERS.value_column, absolute=True))
        last_round_row = PARAMETERS.last_row + 1
        sheet.write_string(last_round_row - 1, 0, "Last round with a label (number)",
                           styles.label)
        in_use = _area(table.sheet, table.row_of_round(1), table.in_use_column,
                       table.last_row, table.in_use_column)
        sheet.write_formula(last_round_row - 1, 1, f"=MAX({in_use})", self.shown,
                            len(self.content.rounds))
        self.book.define_name(LAST_ROUND_NAME, "=" + _cell(table.sheet, last_round_row, 2,
                                                            absolute=True))
        sheet.write_string(table.title_row - 1, 0, "Regional PCA benchmark per round",
                           styles.subtitle)
        headers = {table.label_column: "Round",
                   table.count_column: "Clusters with a PCA value",
                   table.average_column: "Regional average (%)",
                   table.override_column: OVERRIDE.label,
                   table.used_column: "Benchmark used (%)",
                   table.in_use_column: "In use (round number)"}
        for column, text in headers.items():
            sheet.write_string(table.header_row - 1, column - 1, text,
                               styles.header_optional if column == table.override_column
                               else styles.header)
        sheet.set_row(table.header_row - 1, 44)
        rounds = self.content.rounds
        for number in range(1, table.rounds + 1):
            row = table.row_of_round(number) - 1
            column = PCA.column_of_round(number)
            label = _cell(PCA.sheet, PCA.header_row, column, fixed_row=True)
            values_area = _area(PCA.sheet, PCA.first_data_row, column,
                                self.room.pca.last_data_row, column)
            count_cell = cell_ref(row + 1, table.count_column)
            override_cell = cell_ref(row + 1, table.override_column)
            average_cell = cell_ref(row + 1, table.average_column)
            values = self.values
            sheet.write_formula(row, table.label_column - 1, f'=IF({label}="","",{label})',
                                self.label_cell, values.labels[number - 1])
            sheet.write_formula(row, table.count_column - 1, f"=COUNT({values_area})", None,
                                values.counts[number - 1])
            sheet.write_formula(row, table.average_column - 1,
                                f'=IF({count_cell}=0,"",ROUND(AVERAGE({values_area}),9))',
                                self.number, values.averages[number - 1])
            override = self.content.overrides.get(number - 1)
            if override is None:
                sheet.write_blank(row, table.override_column - 1, None,
                                  styles.input(OVERRIDE.kind))
            else:
                sheet.write_number(row, table.override_column - 1, override,
                                   styles.input(OVERRIDE.kind))
            sheet.write_formula(row, table.used_column - 1,
                                f"=IF(ISNUMBER({override_cell}),{override_cell},"
                                f"{average_cell})", self.number, values.used[number - 1])
            sheet.write_formula(row, table.in_use_column - 1,
                                f'=IF(LEN(TRIM({label}&""))=0,0,{number})', None,
                                values.in_use[number - 1])
        validate_cells(sheet, self.record, OVERRIDE, table.row_of_round(1),
                       table.override_column, table.last_row)
        sheet.set_column(table.label_column - 1, table.label_column - 1, 40, self.label_cell)
        for column, width in widths.items():
            sheet.set_column(column - 1, column - 1, width)
        sheet.hide_gridlines(2)
        print_ready(sheet, landscape=False)
        sheet.print_area(0, 0, table.row_of_round(max(len(rounds), TEMPLATE_CHART_ROUNDS)) - 1,
                         table.in_use_column - 1)
        sheet.protect("", PROTECTION)

    # -- computed sheets -----------------------------------------------------------------

    def _helper(self, name: str, formula: Callable[[int], str], values: np.ndarray) -> None:
        sheet = self._sheet(name)
        sheet.write_string(0, 0, f"Working of the native formulas ({name}); do not edit.")
        rounds = self.room.rounds
        templates = [formula(number) for number in range(1, rounds + 1)]
        for number in range(1, rounds + 1):
            sheet.write_number(PCA.header_row - 1, PCA.column_of_round(number) - 1, number)
        for offset, row in enumerate(range(PCA.first_data_row,
                                           self.room.pca.last_data_row + 1)):
            for number, template in enumerate(templates, start=1):
                sheet.put_formula(row - 1, PCA.column_of_round(number) - 1,
                                  _fill(template, row), None, int(values[offset, number - 1]))
        sheet.hide()
        sheet.protect("", PROTECTION)

    def _districts(self) -> None:
        """One row per cluster: the running count of distinct (province, district) pairs,
        so the dashboard finds the j-th district with MATCH(j, ...)."""
        sheet = self._sheet(DISTRICTS_SHEET)
        sheet.write_string(0, 0, "Working of the dashboard's district list; do not edit.")
        header_row = CLUSTERS.header_row
        sheet.write_number(header_row - 1, 0, 0)
        sheet.write_string(header_row - 1, 1, "Province and district")
        province = CLUSTERS.column_index("province")
        district = CLUSTERS.column_index("district")
        for offset, row in enumerate(range(CLUSTERS.first_data_row,
                                           self.room.cluster_list.last_data_row + 1)):
            key = (f'={_cell(CLUSTERS.sheet, row, province)}&"|"&'
                   f'{_cell(CLUSTERS.sheet, row, district)}')
            earlier = f"{cell_ref(header_row, 2, fixed_row=True)}:{cell_ref(row - 1, 2)}"
            count = (f'=IF({_cell(CLUSTERS.sheet, row, district)}="",A{row - 1},'
                     f"IF(ISNA(MATCH(B{row},{earlier},0)),A{row - 1}+1,A{row - 1}))")
            sheet.write_formula(row - 1, 1, key, None, self.values.keys[offset])
            sheet.write_formula(row - 1, 0, count, None, self.values.running[offset])
        sheet.hide()
        sheet.protect("", PROTECTION)

    def _status(self, sheet: ClassicFormulaSheet) -> None:
        styles = self.styles
        sheet.write_string(0, 0, "Status of every cluster in every round", styles.title)
        sheet.write_string(1, 0, "Computed from sheets PCA, Refusals and Benchmarks by the "
                                 "rule of the framework; nothing to type here.",
                           styles.line_note)
        self._cluster_columns(sheet, PCA.first_data_row, 1, None, PCA.header_row)
        rounds, last_row = self.room.rounds, self.room.pca.last_data_row
        templates = [status_formula(number) for number in range(1, rounds + 1)]
        for number in range(1, rounds + 1):
            column = STATUS_FIRST_COLUMN + number - 2
            source = _cell(PCA.sheet, PCA.header_row, PCA.column_of_round(number),
                           fixed_row=True)
            sheet.write_formula(PCA.header_row - 1, column, f'=IF({source}="","",{source})',
                                self.label_header, self.values.labels[number - 1])
        status = self.values.status
        for offset, row in enumerate(range(PCA.first_data_row, last_row + 1)):
            for number, template in enumerate(templates, start=1):
                sheet.put_formula(row - 1, STATUS_FIRST_COLUMN + number - 2,
                                  _fill(template, row), None, status[offset, number - 1])
        last = STATUS_FIRST_COLUMN + rounds - 2
        self._status_colours(sheet, PCA.first_data_row, STATUS_FIRST_COLUMN,
                             last_row, last + 1)
        sheet.set_column(0, 0, 13)
        sheet.set_column(STATUS_FIRST_COLUMN - 1, last, 14)
        sheet.set_row(PCA.header_row - 1, 20)
        sheet.freeze_panes(PCA.header_row, STATUS_FIRST_COLUMN - 1)
        sheet.autofilter(PCA.header_row - 1, 0, last_row - 1, last)
        print_ready(sheet, header_row=PCA.header_row - 1)
        sheet.repeat_columns(0, 0)
        rows_shown = len(self.content.clusters) or _PRINT_ROWS_WHEN_EMPTY
        sheet.print_area(0, 0, PCA.header_row + rows_shown - 1,
                         STATUS_FIRST_COLUMN + max(len(self.content.rounds),
                                                   TEMPLATE_CHART_ROUNDS) - 2)
        sheet.protect("", {**PROTECTION, "autofilter": True})

    def _status_colours(self, sheet: Worksheet, first_row: int, first_column: int,
                        last_row: int, last_column: int) -> None:
        for label, status_format in self.status.items():
            sheet.conditional_format(first_row - 1, first_column - 1, last_row - 1,
                                     last_column - 1, {"type": "cell", "criteria": "==",
                                                       "value": f'"{label}"',
                                                       "format": status_format})

    def _current(self, sheet: ClassicFormulaSheet) -> None:
        styles = self.styles
        columns = current_columns(self.room)
        title = "Status in the last round: "
        sheet.write_formula(0, 0, f'="{title}"&' + _last_label_text(self.room), styles.title,
                            title + self.values.title_label)
        sheet.write_string(1, 0, "Each cluster's status in the last round that has a label, "
                                 "with the reasons and the round it entered the list. "
                                 "Computed; nothing to type here.", styles.line_note)
        header_row = PCA.header_row
        for index, (title, width, _) in enumerate(columns):
            sheet.write_string(header_row - 1, index, title, styles.header)
            sheet.set_column(index, index, width, self.label_cell if title ==
                             "Entered the list" else (self.number if "(%)" in title else None))
        sheet.set_row(header_row - 1, 32)
        templates = [template for _, _, template in columns]
        last_row = self.room.pca.last_data_row
        for offset, row in enumerate(range(PCA.first_data_row, last_row + 1)):
            for index, (template, value) in enumerate(zip(templates,
                                                          self.values.current[offset],
                                                          strict=True)):
                sheet.put_formula(row - 1, index, _fill(template, row), None, value)
        status_column = CURRENT_STATUS_COLUMN
        self._status_colours(sheet, PCA.first_data_row, status_column, last_row,
                             status_column)
        sheet.set_column(CURRENT_VISIBLE, len(columns) - 1, None, None, {"hidden": True})
        sheet.freeze_panes(header_row, 3)
        sheet.autofilter(header_row - 1, 0, last_row - 1, CURRENT_VISIBLE - 1)
        print_ready(sheet, header_row=header_row - 1)
        rows_shown = len(self.content.clusters) or _PRINT_ROWS_WHEN_EMPTY
        sheet.print_area(0, 0, header_row + rows_shown - 1, CURRENT_VISIBLE - 1)
        sheet.protect("", {**PROTECTION, "autofilter": True})

    def _dashboard(self, sheet: Worksheet) -> None:
        styles = self.styles
        title = "Low-performing clusters in the last round: "
        sheet.write_formula(0, 0, f'="{title}"&' + _last_label_text(self.room), styles.title,
                            title + self.values.title_label)
        sheet.write_string(1, 0, "Counts per district of each cluster's status in the last "
                                 "round with a label. Computed; nothing to type here.",
                           styles.line_note)
        header_row, region_row = 4, 5
        first_district_row = region_row + 1
        headers = ("Province", "District", "Clusters", *STATUS_LABELS[::-1],
                   "Low performing (%)")
        for index, text in enumerate(headers):
            sheet.write_string(header_row - 1, index, text, styles.header)
        sheet.set_row(header_row - 1, 44)
        current = CURRENT_SHEET
        rows = (PCA.first_data_row, self.room.pca.last_data_row)
        values = self.values
        province_area = _area(current, rows[0], 1, rows[1], 1)
        district_area = _area(current, rows[0], 2, rows[1], 2)
        status_area = _area(current, rows[0], CURRENT_STATUS_COLUMN, rows[1],
                            CURRENT_STATUS_COLUMN)
        sheet.write_string(region_row - 1, 0, "Region", self.bold)
        sheet.write_formula(region_row - 1, 2, f'=COUNTIF({status_area},"?*")', self.bold_count,
                            values.region[0])
        for offset, label in enumerate(STATUS_LABELS[::-1]):
            sheet.write_formula(region_row - 1, 3 + offset,
                                f'=COUNTIF({status_area},"{label}")', self.bold_count,
                                values.region[1 + offset])
        sheet.write_formula(region_row - 1, 7, f'=IF(C{region_row}=0,"",'
                                               f'ROUND(100*D{region_row}/C{region_row},1))',
                            self.bold_number, values.region[5])
        province = CLUSTERS.column_index("province")
        district = CLUSTERS.column_index("district")
        last_cluster_row = self.room.cluster_list.last_data_row
        running = _area(DISTRICTS_SHEET, CLUSTERS.first_data_row, 1, last_cluster_row, 1)
        for index in range(DASHBOARD_DISTRICTS):
            row = first_district_row + index
            line = values.dashboard[index]
            for column, source in ((1, province), (2, district)):
                names = _area(CLUSTERS.sheet, CLUSTERS.first_data_row, source,
                              last_cluster_row, source)
                sheet.write_formula(row - 1, column - 1,
                                    f'=IFERROR(INDEX({names},MATCH({index + 1},{running},0),1),'
                                    f'"")', None, line[column - 1])
            place = f"{province_area},$A{row},{district_area},$B{row}"
            sheet.write_formula(row - 1, 2, f'=IF($B{row}="","",COUNTIFS({place},'
                                            f'{status_area},"?*"))', self.count, line[2])
            for offset, label in enumerate(STATUS_LABELS[::-1]):
                sheet.write_formula(row - 1, 3 + offset,
                                    f'=IF($B{row}="","",COUNTIFS({place},{status_area},'
                                    f'"{label}"))', self.count, line[3 + offset])
            sheet.write_formula(row - 1, 7, f'=IF(OR($B{row}="",N(C{row})=0),"",'
                                            f'ROUND(100*D{row}/C{row},1))', self.number,
                                line[7])
        for index, width in enumerate((16, 15, 8, 10, 8, 8, 8, 10)):
            sheet.set_column(index, index, width)
        sheet.set_column(8, 8, 2)
        # Right of the district table: the coverage trend, the district chart, and below them
        # the by-round table the trend is drawn from.
        trend_row, listed_row = header_row - 1, header_row + 14
        listed_height = max(300, 16 * self.chart_districts + 90)
        rounds_header_row = listed_row + math.ceil(listed_height / 20) + 3
        self._rounds_table(sheet, rounds_header_row)
        self._charts(sheet, first_district_row, rounds_header_row, trend_row, listed_row,
                     listed_height)
        sheet.freeze_panes(header_row, 0)
        sheet.hide_gridlines(2)
        print_ready(sheet)
        sheet.fit_to_pages(1, 1)  # one page: the tables beside the charts they draw
        last_row = max(first_district_row + self.chart_districts,
                       rounds_header_row + self.chart_rounds)
        sheet.print_area(0, 0, last_row - 1, CHART_COLUMN + 7)
        sheet.protect("", PROTECTION)

    def _rounds_table(self, sheet: Worksheet, header_row: int) -> None:
        styles, table = self.styles, self.room.benchmarks
        first = CHART_COLUMN
        headers = ("Round", "Regional average PCA (%)", "Benchmark used (%)",
                   *STATUS_LABELS[::-1])
        sheet.write_string(header_row - 2, first, "By round", styles.subtitle)
        for offset, text in enumerate(headers):
            sheet.write_string(header_row - 1, first + offset, text, styles.header)
        sheet.set_row(header_row - 1, 44)
        sheet.set_column(first, first, 11, self.label_cell)
        sheet.set_column(first + 1, first + 2, 11, self.number)
        sheet.set_column(first + 3, first + 6, 10, self.count)
        for number in range(1, table.rounds + 1):
            row = header_row + number
            line = self.values.by_round[number - 1]
            label = _cell(table.sheet, table.row_of_round(number), table.label_column,
                          absolute=True)
            sheet.write_formula(row - 1, first, f"={label}", None, line[0])
            for offset, column in ((1, table.average_column), (2, table.used_column)):
                sheet.write_formula(row - 1, first + offset,
                                    "=" + _cell(table.sheet, table.row_of_round(number),
                                                column, absolute=True), None, line[offset])
            status_column = STATUS_FIRST_COLUMN + number - 1
            statuses = _area(STATUS_SHEET, PCA.first_data_row, status_column,
                             self.room.pca.last_data_row, status_column)
            label_here = cell_ref(row, first + 1)
            for offset, status in enumerate(STATUS_LABELS[::-1]):
                sheet.write_formula(row - 1, first + 3 + offset,
                                    f'=IF({label_here}="","",COUNTIF({statuses},"{status}"))',
                                    None, line[3 + offset])

    def _charts(self, sheet: Worksheet, first_district_row: int, rounds_header_row: int,
                trend_row: int, listed_row: int, listed_height: int) -> None:
        trend = self.book.add_chart({"type": "line"})
        first_round = rounds_header_row  # 0-based row of round 1 in the by-round table
        last_round = first_round + self.chart_rounds - 1
        trend.add_series({
            "name": "Regional average PCA (%)",
            "categories": [DASHBOARD_SHEET, first_round, CHART_COLUMN, last_round,
                           CHART_COLUMN],
            "values": [DASHBOARD_SHEET, first_round, CHART_COLUMN + 1, last_round,
                       CHART_COLUMN + 1],
            "marker": {"type": "circle", "size": 5, "fill": {"color": HEADER.fill},
                       "border": {"color": HEADER.fill}},
            "line": {"color": HEADER.fill, "width": 2},
        })
        trend.set_title({"name": "Regional PCA coverage by round (%)",
                         "name_font": {"size": 11, "bold": True}})
        trend.set_legend({"none": True})
        trend.set_y_axis({"num_font": {"size": 8}, "num_format": "0",
                          "major_gridlines": {"visible": True, "line": {"color": "D9D9D9"}}})
        trend.set_x_axis({"num_font": {"size": 8}})
        trend.set_size({"width": 560, "height": 270})
        trend.show_blanks_as("gap")
        sheet.insert_chart(trend_row, CHART_COLUMN, trend)

        listed = self.book.add_chart({"type": "bar"})
        last = first_district_row + self.chart_districts - 1
        listed.add_series({
            "name": "Low performing",
            "categories": [DASHBOARD_SHEET, first_district_row - 1, 1, last - 1, 1],
            "values": [DASHBOARD_SHEET, first_district_row - 1, 3, last - 1, 3],
            "fill": {"color": "C0504D"}, "border": {"none": True}, "gap": 50,
            "data_labels": {"value": True, "font": {"size": 7}},
        })
        listed.set_title({"name": "Low-performing clusters per district",
                          "name_font": {"size": 11, "bold": True}})
        listed.set_legend({"none": True})
        listed.set_y_axis({"reverse": True, "num_font": {"size": 8}})
        listed.set_x_axis({"num_font": {"size": 8}, "num_format": "0",
                           "major_gridlines": {"visible": True, "line": {"color": "D9D9D9"}}})
        listed.set_size({"width": 560, "height": listed_height})
        sheet.insert_chart(listed_row, CHART_COLUMN, listed)

    def _addin(self) -> None:
        sheet = self._sheet(ADDIN_SHEET)
        styles = self.styles
        sheet.write_string(0, 0, "Flags by the ClusterBook add-in", styles.title)
        sheet.merge_range(1, 0, 1, 4, ADDIN_NOTE, styles.note)
        # The note wraps over columns A to E (about 96 characters a line).
        sheet.set_row(1, 15 * math.ceil(len(ADDIN_NOTE) / 88) + 4)
        header_row = PCA.header_row
        self._cluster_columns(sheet, PCA.first_data_row, 1, None, header_row)
        for offset, text in enumerate(ADDIN_HEADERS, start=1):
            sheet.write_string(header_row - 1, offset, text, styles.header)
        sheet.set_row(header_row - 1, 32)
        # With the add-in, the first cell of its answer is the first cluster's status.
        sheet.write_dynamic_array_formula(PCA.first_data_row - 1, 1, PCA.first_data_row - 1, 1,
                                          addin_guarded(addin_formula(self.room)), None,
                                          self.values.current[0][CURRENT_STATUS_COLUMN - 1])
        for index, width in enumerate((13, 16, 44, 12, 11)):
            sheet.set_column(index, index, width)
        sheet.freeze_panes(header_row, 1)
        print_ready(sheet, header_row=header_row - 1)
        # Without the add-in only the first row shows anything; Current prints the same flags.
        sheet.print_area(0, 0, header_row, 4)
        sheet.protect("", PROTECTION)


def addin_formula(room: DataBookRoom | None = None) -> str:
    """CLUSTER_FLAGS over the whole PCA and Refusals tables of a book's room, with the round
    labels, the benchmarks used and the parameters of this book."""
    room = room or DataBookRoom()
    grid, refusals, table = room.pca, room.refusals, room.benchmarks
    pca = _area(grid.sheet, grid.first_data_row, grid.first_column, grid.last_data_row,
                grid.last_column)
    refusal = _area(refusals.sheet, refusals.first_data_row, refusals.first_column,
                    refusals.last_data_row, refusals.last_column)
    benchmarks = _area(table.sheet, table.row_of_round(1), table.used_column,
                       table.last_row, table.used_column)
    labels = _area(grid.sheet, grid.header_row, grid.first_column, grid.header_row,
                   grid.last_column)
    names = ",".join(PARAMETER_NAMES[key] for key in ("rounds", "refusal_threshold",
                                                      "exit_benchmark"))
    return f"=CLUSTER_FLAGS({pca},{refusal},{benchmarks},{labels},{names})"


def _column_below(grid: RoundGrid, column: int) -> str:
    letter = column_letter(column)
    return f"{letter}${grid.first_data_row}:{letter}${grid.last_data_row}"


def _shown(sheet: str, row: int, column: int) -> str:
    source = _cell(sheet, row, column)
    return f'=IF({source}="","",{source})'


def _last_label_text(room: DataBookRoom) -> str:
    table = room.benchmarks
    labels = _area(table.sheet, table.row_of_round(1), table.label_column, table.last_row,
                   table.label_column)
    label = f"INDEX({labels},{LAST_ROUND_NAME},1)"
    return (f'IF({LAST_ROUND_NAME}=0,"(no round yet)",IF(ISNUMBER({label}),'
            f'TEXT({label},"dd/mm/yyyy"),{label}))')


def _write_label(sheet: Worksheet, row: int, column: int, label: object, text_format: Any,
                 date_format: Any) -> None:
    if label is None or label == "":
        sheet.write_blank(row, column, None, text_format)
    elif isinstance(label, dt.date):
        sheet.write_datetime(row, column, label, date_format)
    else:
        sheet.write_string(row, column, str(label), text_format)


def _plain(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


# ---------------------------------------------------------------------------------------------
# Current: one formula template per column
#
# INDEX over one row always names row 1 and the column, INDEX(row,1,n): with a single index
# Excel and LibreOffice read n as the column but Gnumeric reads it as the row.


def current_columns(room: DataBookRoom) -> tuple[tuple[str, float, str], ...]:
    """The Current sheet's columns for a book's room: title, width, formula template."""
    n, threshold, exit_ = (PARAMETER_NAMES["rounds"], PARAMETER_NAMES["refusal_threshold"],
                           PARAMETER_NAMES["exit_benchmark"])
    rounds = room.rounds
    last = PCA.column_of_round(rounds)

    def at_last(sheet: str) -> str:
        return _row_template(sheet, last, fixed_column=True)

    runs, on_list = at_last(RUNS_SHEET), at_last(LIST_SHEET)
    status = f"$E{ROW}"
    before, first_part = f"$K{ROW}", f"$L{ROW}"
    below, refusal, good = f"$M{ROW}", f"$N{ROW}", f"$O{ROW}"
    code = f"$C{ROW}"
    status_row = (f"{_row_template(STATUS_SHEET, STATUS_FIRST_COLUMN, fixed_column=True)}:"
                  f"{_row_template(None, STATUS_FIRST_COLUMN + rounds - 1, fixed_column=True)}")
    list_row = (f"{_row_template(LIST_SHEET, PCA.first_column, fixed_column=True)}:"
                f"{_row_template(None, last, fixed_column=True)}")

    def round_row(sheet: str) -> str:
        return (f"{_row_template(sheet, PCA.first_column, fixed_column=True)}:"
                f"{_row_template(None, last, fixed_column=True)}")

    labels = _area(PCA.sheet, PCA.header_row, PCA.first_column, PCA.header_row, last)
    table = room.benchmarks
    in_use = _area(table.sheet, table.row_of_round(1), table.in_use_column, table.last_row,
                   table.in_use_column)
    refusal_text = f'"Refusal above "&{threshold}&"% x"&{refusal}'
    below_text = f'"PCA below benchmark x"&{below}'
    low_reasons = (f'IF(AND({below}>={n},{refusal}>={n}),{below_text}&"; "&{refusal_text},'
                   f"IF({below}>={n},{below_text},IF({refusal}>={n},{refusal_text},"
                   f'"not yet "&{n}&" rounds above "&{exit_}&"%")))')

    def value_at_last(sheet: str) -> str:
        value = f"INDEX({round_row(sheet)},1,{LAST_ROUND_NAME})"
        return (f'=IF(OR({code}="",{LAST_ROUND_NAME}=0),"",'
                f'IF(ISNUMBER({value}),{value},""))')

    def shown(key: str) -> str:
        source = _row_template(CLUSTERS.sheet, CLUSTERS.column_index(key))
        return f'=IF({source}="","",{source})'

    return (
        ("Province", 16, shown("province")),
        ("District", 14, shown("district")),
        ("Cluster code", 12, shown("cluster_code")),
        ("Cluster name", 24, shown("cluster_name")),
        ("Status", 15, f'=IF(OR({code}="",{LAST_ROUND_NAME}=0),"",'
                       f"INDEX({status_row},1,{LAST_ROUND_NAME}))"),
        # Wide enough for the longest reason ("left the list: 3 rounds above 95%; Refusal
        # above 10% x12"), so a printed reason never runs into the next column.
        ("Reasons", 56, f'=IF({status}="","",IF({status}="{STATUS_LABELS[3]}",{low_reasons},'
                        f'{first_part}&IF({refusal}>0,IF({first_part}="","","; ")&'
                        f'{refusal_text},"")))'),
        ("Entered the list", 11, f'=IF(OR({status}="",{on_list}=0),"",'
                                 f"INDEX({labels},1,ABS({on_list})))"),
        ("Rounds on the list", 10, f'=IF({status}="","",IF({on_list}>0,'
                                   f'COUNTIF({in_use},">="&{on_list}),0))'),
        ("PCA (%)", 9, value_at_last(PCA.sheet)),
        ("Refusal (%)", 9, value_at_last(REFUSALS.sheet)),
        # Hidden working: the list state before the last round, the reason's first part, and
        # the three streaks in the last round.
        ("Before the last round", 6, f"=IF({LAST_ROUND_NAME}>1,"
                                     f"INDEX({list_row},1,{LAST_ROUND_NAME}-1),0)"),
        ("First reason", 6, f'=IF({status}="{STATUS_LABELS[2]}",{below_text},'
                            f'IF({status}="{STATUS_LABELS[0]}","no PCA value in this round",'
                            f'IF(AND({status}="{STATUS_LABELS[1]}",{before}>0,{on_list}<=0),'
                            f'"left the list: "&{good}&" rounds above "&{exit_}&"%","")))'),
        *((title, 6, f"={part}") for title, part in zip(
            ("Below the benchmark (rounds in a row)", "Refusal above the threshold (rounds "
             "in a row)", "Above the exit benchmark (rounds in a row)"), _run_parts(runs),
            strict=True)),
    )


CURRENT_STATUS_COLUMN = 5  # E
CURRENT_VISIBLE = 10  # A to J; the working columns after them are hidden
CHART_COLUMN = 9  # 0-based: column J
