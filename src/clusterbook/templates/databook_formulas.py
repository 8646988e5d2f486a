"""The low-performing rule of ``low-performing-clusters.md`` as native Excel formulas.

Every formula uses only classic (Excel 2010) functions, so old Excel and LibreOffice compute
the flags as data is typed. The rule is walked round by round in hidden helper sheets, one cell
per cluster per round, each referring to the previous round's column (a round without a label
carries the previous values through unchanged):

- ``_runs``: three streaks packed in one number (see :data:`RUN_BASE`): rounds in a row below
  the benchmark, with refusal above the threshold, and above the exit benchmark;
- ``_list``: the round number the cluster entered the list when it is on the list (> 0), minus
  the last entry round when it is off (< 0), 0 when never listed.

``status_formula`` turns those into the status text; :func:`current_columns` reads the last
round (the helpers' last column holds the last labelled round's values) and writes the reasons
exactly as the engine's ``reason_text``. Formulas are templates: :data:`ROW` stands for the
cluster's row and :func:`fill_row` puts it in.
"""

from __future__ import annotations

from string import Formatter

from clusterbook.domain.rule_parameters import Status
from clusterbook.domain.rules import REASON_SEPARATOR, Reason
from clusterbook.forms.cells import cell_ref, column_letter, range_ref, sheet_ref
from clusterbook.forms.databook import (
    BENCHMARKS,
    CLUSTERS,
    LAST_ROUND_NAME,
    PARAMETER_NAMES,
    PCA,
    REFUSALS,
    STATUS_FIRST_COLUMN,
    STATUS_SHEET,
    DataBookRoom,
    RoundGrid,
)

RUNS_SHEET, LIST_SHEET = "_runs", "_list"

# ---------------------------------------------------------------------------------------------
# References


def sheet_cell(sheet: str | None, row: int, column: int, *, fixed_row: bool = False,
               fixed_column: bool = False, absolute: bool = False) -> str:
    ref = cell_ref(row, column, fixed_row=fixed_row, fixed_column=fixed_column,
                   absolute=absolute)
    return sheet_ref(sheet, ref) if sheet else ref


def sheet_area(sheet: str, first_row: int, first_column: int, last_row: int,
               last_column: int) -> str:
    return sheet_ref(sheet, range_ref(first_row, first_column, last_row, last_column,
                                      absolute=True))


ROW = "§"  # stands for the row number in a formula template


def row_template(sheet: str | None, column: int, *, fixed_column: bool = False) -> str:
    """A reference to ``column`` on the row a template is filled in for."""
    dollar = "$" if fixed_column else ""
    ref = f"{dollar}{column_letter(column)}{ROW}"
    return sheet_ref(sheet, ref) if sheet else ref


def _benchmark_cell(number: int, column: int) -> str:
    return sheet_cell(BENCHMARKS.sheet, BENCHMARKS.row_of_round(number), column, absolute=True)


def _in_use(number: int) -> str:
    return _benchmark_cell(number, BENCHMARKS.in_use_column)


def _parameter(key: str) -> str:
    return PARAMETER_NAMES[key]


def _round_cell(grid: RoundGrid, sheet: str | None, number: int) -> str:
    return row_template(sheet, grid.column_of_round(number))


# ---------------------------------------------------------------------------------------------
# The rule, as formula templates (one per round column; ROW marks the cluster's row)


#: The runs cell packs three streaks in one number: below + 100 x refusal + 10000 x good.
RUN_BASE = 100


def run_parts(runs: str) -> tuple[str, str, str]:
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
        previous = row_template(None, PCA.column_of_round(number - 1))
        grown = tuple(f"{part}+1" for part in run_parts(previous))
    terms = [f"IF({condition},{value},0)" for condition, value in zip(conditions, grown,
                                                                        strict=True)]
    packed = f"{terms[0]}+{terms[1]}*{RUN_BASE}+{terms[2]}*{RUN_BASE * RUN_BASE}"
    return f"=IF({_in_use(number)}=0,{previous},{packed})"


def list_formula(number: int) -> str:
    """> 0: on the list since that round number; < 0: off, last entered in -that; 0: never."""
    n = _parameter("rounds")
    below, refusal, good = run_parts(_round_cell(PCA, RUNS_SHEET, number))
    if number == 1:
        return f"=IF({_in_use(1)}=0,0,IF(OR({below}>={n},{refusal}>={n}),1,0))"
    previous = row_template(None, PCA.column_of_round(number - 1))
    return (f"=IF({_in_use(number)}=0,{previous},"
            f"IF(OR({below}>={n},{refusal}>={n},AND({previous}>0,{good}<{n})),"
            f"IF({previous}>0,{previous},{number}),-ABS({previous})))")


def status_formula(number: int) -> str:
    code = row_template(None, 1, fixed_column=True)
    on_list = _round_cell(PCA, LIST_SHEET, number)
    below, _, _ = run_parts(_round_cell(PCA, RUNS_SHEET, number))
    pca = _round_cell(PCA, PCA.sheet, number)
    low, watch, on_track, no_data = (Status.LOW_PERFORMING.label, Status.WATCH.label,
                                     Status.ON_TRACK.label, Status.NO_DATA.label)
    return (f'=IF(OR({_in_use(number)}=0,{code}=""),"",IF({on_list}>0,"{low}",'
            f'IF({below}>0,"{watch}",IF(ISNUMBER({pca}),"{on_track}","{no_data}"))))')


def fill_row(template: str, row: int) -> str:
    return template.replace(ROW, str(row))


def text_formula(wording: str, **fields: str) -> str:
    """A formula joining ``wording`` (a str.format template, e.g. the engine's reasons) with
    its fields given as formula expressions: "PCA below benchmark x{run}" with run="$M5"
    gives '"PCA below benchmark x"&$M5'."""
    parts = []
    for literal, name, _, _ in Formatter().parse(wording):
        if literal:
            parts.append('"' + literal.replace('"', '""') + '"')
        if name is not None:
            parts.append(fields[name])
    return "&".join(parts)


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
        return row_template(sheet, last, fixed_column=True)

    runs, on_list = at_last(RUNS_SHEET), at_last(LIST_SHEET)
    status = f"$E{ROW}"
    before, first_part = f"$K{ROW}", f"$L{ROW}"
    below, refusal, good = f"$M{ROW}", f"$N{ROW}", f"$O{ROW}"
    code = f"$C{ROW}"
    status_row = (f"{row_template(STATUS_SHEET, STATUS_FIRST_COLUMN, fixed_column=True)}:"
                  f"{row_template(None, STATUS_FIRST_COLUMN + rounds - 1, fixed_column=True)}")
    list_row = (f"{row_template(LIST_SHEET, PCA.first_column, fixed_column=True)}:"
                f"{row_template(None, last, fixed_column=True)}")

    def round_row(sheet: str) -> str:
        return (f"{row_template(sheet, PCA.first_column, fixed_column=True)}:"
                f"{row_template(None, last, fixed_column=True)}")

    labels = sheet_area(PCA.sheet, PCA.header_row, PCA.first_column, PCA.header_row, last)
    table = room.benchmarks
    in_use = sheet_area(table.sheet, table.row_of_round(1), table.in_use_column, table.last_row,
                        table.in_use_column)
    refusal_text = text_formula(Reason.REFUSAL, threshold=threshold, run=refusal)
    below_text = text_formula(Reason.BELOW, run=below)
    separator = text_formula(REASON_SEPARATOR)
    low_reasons = (f"IF(AND({below}>={n},{refusal}>={n}),{below_text}&{separator}&"
                   f"{refusal_text},IF({below}>={n},{below_text},IF({refusal}>={n},"
                   f"{refusal_text},{text_formula(Reason.NOT_YET, rounds=n, exit=exit_)})))")
    low, watch, on_track, no_data = (Status.LOW_PERFORMING.label, Status.WATCH.label,
                                     Status.ON_TRACK.label, Status.NO_DATA.label)

    def value_at_last(sheet: str) -> str:
        value = f"INDEX({round_row(sheet)},1,{LAST_ROUND_NAME})"
        return (f'=IF(OR({code}="",{LAST_ROUND_NAME}=0),"",'
                f'IF(ISNUMBER({value}),{value},""))')

    def shown(key: str) -> str:
        source = row_template(CLUSTERS.sheet, CLUSTERS.column_index(key))
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
        ("Reasons", 56, f'=IF({status}="","",IF({status}="{low}",{low_reasons},'
                        f'{first_part}&IF({refusal}>0,IF({first_part}="","",{separator})&'
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
        ("First reason", 6, f'=IF({status}="{watch}",{below_text},'
                            f'IF({status}="{no_data}",{text_formula(Reason.NO_DATA)},'
                            f'IF(AND({status}="{on_track}",{before}>0,{on_list}<=0),'
                            f'{text_formula(Reason.LEFT, run=good, exit=exit_)},"")))'),
        *((title, 6, f"={part}") for title, part in zip(
            ("Below the benchmark (rounds in a row)", "Refusal above the threshold (rounds "
             "in a row)", "Above the exit benchmark (rounds in a row)"), run_parts(runs),
            strict=True)),
    )


CURRENT_STATUS_COLUMN = 5  # E
CURRENT_VISIBLE = 10  # A to J; the working columns after them are hidden
