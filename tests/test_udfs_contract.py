"""The worksheet functions called with arguments exactly as Excel passes them through xlwings.

On Linux the xlwings decorators do nothing, so these calls are the guard of what a cell
shows. Expected values come from the spec page (its worked example), not from the code.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from clusterbook.udfs import CLUSTER_FLAGS, CLUSTER_STATUS, PCA_BENCHMARK
from clusterbook.udfs.register import excel_function
from excel_shapes import column, excel_range, row, table

# The spec's worked example (N = 3, benchmark 90 in every round); None is an empty cell.
A = [85, 88, 89, 96, 97, 98]
B = [85, 88, 92, 85, 86, 84]
C = [85, None, 85, 85, 85, 96]
NO_REFUSAL = [0, 0, 0, 0, 0, 0]
LABELS = ["R1", "R2", "R3", "R4", "R5", "R6"]


@pytest.mark.parametrize(("coverage", "at_r3", "at_r6"), [
    (A, "Low performing", "On track"),
    (B, "On track", "Low performing"),
    (C, "Watch", "Low performing"),
])
def test_cluster_status_follows_the_spec_worked_example(coverage, at_r3, at_r6):
    assert CLUSTER_STATUS(row(coverage[:3]), row(NO_REFUSAL[:3]), 90.0) == at_r3
    assert CLUSTER_STATUS(row(coverage), row(NO_REFUSAL), 90.0) == at_r6
    # A column of cells is read the same way as a row.
    assert CLUSTER_STATUS(column(coverage), column(NO_REFUSAL), 90.0) == at_r6
    # So is a per-round row of benchmarks.
    assert CLUSTER_STATUS(row(coverage), row(NO_REFUSAL), row([90] * 6)) == at_r6


def test_cluster_flags_follows_the_spec_worked_example():
    result = CLUSTER_FLAGS(table([A, B, C]), table([NO_REFUSAL] * 3), 90.0, row(LABELS))
    assert result == [
        ["On track", "left the list: 3 rounds above 95%", "R3", 0],
        ["Low performing", "PCA below benchmark x3", "R6", 1],
        ["Low performing", "not yet 3 rounds above 95%", "R5", 2],
    ]


def test_three_rounds_of_high_refusal_list_a_cluster_with_good_coverage():
    assert CLUSTER_STATUS(row([97, 98, 96]), row([12, 11, 15])) == "Low performing"
    flags = CLUSTER_FLAGS(table([[97, 98, 96]]), table([[12, 11, 15]]), None,
                          row(["R1", "R2", "R3"]))
    assert flags == [["Low performing", "Refusal above 10% x3", "R3", 1]]
    # Two rounds are not enough; the default benchmark for one cluster is 95.
    assert CLUSTER_STATUS(row([97, 98]), row([12, 11])) == "On track"


def test_a_single_cell_is_one_round():
    assert CLUSTER_STATUS(row([80]), row([0]), 90.0) == "Watch"
    assert CLUSTER_STATUS(row([80]), row([0]), 90.0, 1.0) == "Low performing"
    assert CLUSTER_FLAGS(table([[80]]), table([[0]]), 90.0, row(["R1"]), 1.0) == [
        ["Low performing", "PCA below benchmark x1", "R1", 1]]


def test_a_flat_list_given_for_a_table_is_one_cluster():
    # Only when the table argument arrives without ndim=2 (e.g. called from Python).
    assert CLUSTER_FLAGS(row(B), row(NO_REFUSAL), 90.0) == CLUSTER_FLAGS(
        table([B]), table([NO_REFUSAL]), 90.0)


def test_error_and_empty_cells_arrive_as_none_and_break_streaks():
    # C is missing R2 (an #N/A cell reaches Python as None): its first streak stops there.
    assert CLUSTER_STATUS(row(C[:4]), row(NO_REFUSAL[:4]), 90.0) == "Watch"


def test_percent_formatted_cells_arrive_as_fractions():
    as_fractions = [[None if v is None else v / 100 for v in r] for r in (A, B, C)]
    refusals = [[0.12, 0.11, 0.15, 0, 0, 0]] * 3
    percents = CLUSTER_FLAGS(table([A, B, C]), table([[12, 11, 15, 0, 0, 0]] * 3), 90.0)
    assert CLUSTER_FLAGS(table(as_fractions), table(refusals), 0.9) == percents
    assert CLUSTER_STATUS(row(as_fractions[1]), row(refusals[1]), 0.9) == "Low performing"


def test_small_refusal_rates_of_one_cluster_stay_percents():
    # 0, 0.5 and 0.8 % are ordinary refusal rates, not fractions (50 %, 80 %): the cluster's
    # coverage, typed as percents, tells the unit of its row.
    assert CLUSTER_STATUS(row([97, 97, 97]), row([0, 0.5, 0.8])) == "On track"
    assert CLUSTER_STATUS(row([0.97, 0.97, 0.97]), row([0.12, 0.11, 0.15])) == "Low performing"


def test_numbers_typed_as_text_are_read_as_people_mean_them():
    assert CLUSTER_STATUS(row(["85%", " 88 ", "۸۹"]), row([0, 0, 0]), 90.0) == "Low performing"
    assert CLUSTER_STATUS(row([85, 88, 89]), row(["12%", "11%", "15%"]), "90%") \
        == "Low performing"


def test_parameters_arrive_as_floats_or_percent_formatted_fractions():
    coverage, refusal = row([97, 97, 97, 97]), row([0, 0, 11, 11])
    assert CLUSTER_STATUS(coverage, refusal, None, 2.0) == "Low performing"
    assert CLUSTER_STATUS(coverage, refusal, None, 2.0, 0.12) == "On track"  # 12 % threshold
    assert CLUSTER_STATUS(coverage, refusal, None, 2.0, "12%") == "On track"
    # An exit benchmark of 98 % (0.98 in a % cell) is also the default benchmark: all below.
    assert CLUSTER_STATUS(coverage, row([0] * 4), None, None, None, 0.98) == "Low performing"


def test_empty_optional_cells_take_the_defaults():
    coverage, refusal = row(B), row(NO_REFUSAL)
    assert CLUSTER_STATUS(coverage, refusal, 90.0, None, None, None) == \
        CLUSTER_STATUS(coverage, refusal, 90.0, 3.0, 10.0, 95.0)
    # A blank benchmark cell means the default for that round (the exit benchmark here).
    assert CLUSTER_STATUS(row([94, 94, 94]), row([0, 0, 0]), row([90, 90, None])) == "Watch"


def test_dates_in_a_header_row_name_the_rounds():
    dates = [dt.date(2025, 1, 13) + dt.timedelta(weeks=4 * k) for k in range(6)]
    flags = CLUSTER_FLAGS(table([B]), table([NO_REFUSAL]), 90.0, row(dates))
    assert flags == [["Low performing", "PCA below benchmark x3", "2025-06-02", 1]]


def test_without_round_labels_the_entry_round_is_the_column_number():
    flags = CLUSTER_FLAGS(table([B]), table([NO_REFUSAL]), 90.0)
    assert flags[0][2] == 6


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: CLUSTER_STATUS(row([85, 88, "abc"]), row([0, 0, 0])),
     "pca, value 3: 'abc' is not a number."),
    (lambda: CLUSTER_STATUS(row([85, 88, dt.date(2025, 3, 15)]), row([0, 0, 0])),
     "pca, value 3: '2025-03-15' is a date, not a number."),
    (lambda: CLUSTER_STATUS(row([85, True, 80]), row([0, 0, 0])),
     "pca, value 2: 'True' is not a number."),
    (lambda: CLUSTER_STATUS(row([85, 88, 89]), row([0, 0])),
     "refusals: has 2 values but pca has 3; give the same rounds."),
    (lambda: CLUSTER_STATUS(excel_range([[85, 88], [0, 0]]), row([0, 0])),
     "pca: is 2 rows by 2 columns; give one row or one column."),
    (lambda: CLUSTER_STATUS(row([85, 120, 89]), row([0, 0, 0])),
     "pca, value 2: 120 is outside 0 to 100."),
    (lambda: CLUSTER_STATUS(row([85, 88, 89]), row([0, 0, 0]), row([90, 90])),
     "benchmarks: has 2 values; give one number or 3, one per round column."),
    (lambda: CLUSTER_STATUS(row([85, 88, 89]), row([0, 0, 0]), None, 0.0),
     "rounds: 0 is not a whole number of 1 or more."),
    (lambda: CLUSTER_STATUS(row([85, 88, 89]), row([0, 0, 0]), None, 2.5),
     "rounds: 2.5 is not a whole number of 1 or more."),
    (lambda: CLUSTER_STATUS(row([85, 88, 89]), row([0, 0, 0]), None, None, 150.0),
     "refusal_threshold: 150 is outside 0 to 100."),
    (lambda: CLUSTER_STATUS(row([85, 88, 89]), row([0, 0, 0]), None, None, None, "high"),
     "exit_benchmark: 'high' is not a number."),
    (lambda: CLUSTER_FLAGS(table([A, B]), table([NO_REFUSAL]), 90.0),
     "refusal_table: is 1 rows by 6 columns but pca_table is 2 by 6; give the same clusters "
     "and rounds."),
    (lambda: CLUSTER_FLAGS(table([A, B]), table([NO_REFUSAL] * 2), None, row(LABELS[:5])),
     "round_labels: has 5 cells but the tables have 6 columns; give the header row of the "
     "same columns."),
    (lambda: CLUSTER_FLAGS(table([A]), table([NO_REFUSAL]), None,
                           row(["R1", "R2", "R2", "R4", "R5", "R6"])),
     "round_labels: 'R2' names columns 2 and 3; give each round its own label."),
    (lambda: CLUSTER_FLAGS(table([A, ["x", 1, 1, 1, 1, "y"]]), table([NO_REFUSAL] * 2)),
     "pca_table, row 2, column 1: 'x' is not a number (and 1 more cell like it)."),
    (lambda: PCA_BENCHMARK(column([90, 80]), column([10, -1])),
     "children_surveyed, value 2: -1 is negative."),
    (lambda: PCA_BENCHMARK(column([90, 80]), column([10, 20, 30])),
     "children_surveyed: has 3 cells but pca has 2 cells; give the same clusters."),
    (lambda: PCA_BENCHMARK(excel_range([[90, 80], [70, 60]]), excel_range([[1, 2, 3, 4]])),
     "children_surveyed: has 4 cells but pca has 2 by 2 cells; give the same clusters."),
    (lambda: PCA_BENCHMARK(column([90, 80]), column([None, None])),
     "children_surveyed: has no value; leave it out for the plain average."),
])
def test_a_bad_argument_shows_a_short_sentence_in_the_cell(call, expected):
    assert call() == expected


def test_an_unexpected_fault_is_a_sentence_too():
    @excel_function(x="a number")
    def BROKEN(x):
        """Divides by zero."""
        return 1 / 0

    text = BROKEN(1.0)
    assert text.startswith("ClusterBook could not work this out (ZeroDivisionError")
    assert "Traceback" not in text and "\n" not in text


def test_a_cluster_with_no_value_at_all_is_blank():
    assert CLUSTER_STATUS(row([None, None, None]), row([None, None, None])) == ""


def test_data_book_contract_full_input_area(sample_region):
    """The data book passes its whole 2,000 x 36 input areas and the header row."""
    rounds = sample_region.rounds
    labels = list(dict.fromkeys(rounds["round"]))
    pca = rounds.pivot(index="cluster_code", columns="round", values="pca_coverage")
    refusal = rounds.pivot(index="cluster_code", columns="round", values="refusal_rate")
    order = list(dict.fromkeys(rounds["cluster_code"]))
    tight_pca = pca.loc[order, labels].to_numpy().tolist()
    tight_refusal = refusal.loc[order, labels].to_numpy().tolist()

    def area(tight):
        padded = [[None if v != v else v for v in values] + [None] * 24 for values in tight]
        # A cluster in the middle of the list has no values yet.
        padded[500] = [None] * 36
        return padded + [[None] * 36 for _ in range(2000 - len(padded))]

    header = labels + [None] * 24
    flags = CLUSTER_FLAGS(table(area(tight_pca)), table(area(tight_refusal)), None, row(header))
    assert len(flags) == 2000 and {len(r) for r in flags} == {4}
    assert flags[500] == ["", "", "", ""] and all(r == ["", "", "", ""] for r in flags[928:])
    tight = CLUSTER_FLAGS(table(tight_pca[:500] + tight_pca[501:]),
                          table(tight_refusal[:500] + tight_refusal[501:]), None, row(labels))
    assert flags[:500] + flags[501:928] == tight
    statuses = {r[0] for r in tight}
    assert statuses == {"Low performing", "Watch", "On track", "No data"}


def test_formulas_showing_nothing_are_empty_cells():
    # A sheet whose input area holds formulas such as =IF(X="", "", X) passes '' for blanks.
    with_blanks = [["" if v is None else v for v in values] + ["", ""] for values in (A, B, C)]
    refusals = [[*NO_REFUSAL, "", ""]] * 3 + [[""] * 8]
    flags = CLUSTER_FLAGS(table([*with_blanks, [""] * 8]), table(refusals), 90.0,
                          row([*LABELS, "", ""]))
    assert flags == [*CLUSTER_FLAGS(table([A, B, C]), table([NO_REFUSAL] * 3), 90.0,
                                    row(LABELS)), ["", "", "", ""]]
    assert CLUSTER_STATUS(row(with_blanks[2][:6]), row(NO_REFUSAL), 90.0) == "Low performing"


def test_a_labelled_empty_column_is_a_round_and_an_unlabelled_one_is_not():
    base = CLUSTER_FLAGS(table([A, B, C]), table([NO_REFUSAL] * 3), 90.0, row(LABELS))
    gap = [[*values[:3], None, *values[3:]] for values in (A, B, C)]
    refusal_gap = [[*NO_REFUSAL[:3], None, *NO_REFUSAL[3:]]] * 3
    labels_gap = [*LABELS[:3], None, *LABELS[3:]]
    assert CLUSTER_FLAGS(table(gap), table(refusal_gap), 90.0, row(labels_gap)) == base
    # Labelled but empty: a round held without data, so every cluster has no PCA value there.
    labelled = [*LABELS[:3], "R3b", *LABELS[3:]]
    flags = CLUSTER_FLAGS(table(gap), table(refusal_gap), 90.0, row(labelled))
    # The empty round breaks C's streak of rounds below (it never reaches three) and comes
    # before A's three rounds above 95 %.
    assert [r[0] for r in flags] == ["On track", "Low performing", "On track"]
    # An empty last round: nobody has a PCA value in it.
    with_round_last = [[*values, None] for values in (A, B, C)]
    flags = CLUSTER_FLAGS(table(with_round_last), table([[*NO_REFUSAL, None]] * 3), 90.0,
                          row([*LABELS, "R7"]))
    assert [r[0] for r in flags] == ["No data", "Low performing", "Low performing"]


def test_benchmarks_row_with_blanks_keeps_the_regional_mean_there():
    pca = [[80, 80, 80], [100, 100, 100]]  # regional mean 90 in every round
    refusal = [[0, 0, 0]] * 2
    assert CLUSTER_FLAGS(table(pca), table(refusal))[0][0] == "Low performing"
    assert CLUSTER_FLAGS(table(pca), table(refusal), row([70, None, None]))[0][0] == "Watch"


def test_pca_benchmark_is_the_round_average():
    assert PCA_BENCHMARK(column([90, 80, None])) == 85.0
    assert PCA_BENCHMARK(column([90, 80]), column([1, 3])) == 82.5
    # A row without a weight is left out of the weighted average.
    assert PCA_BENCHMARK(column([90, 80, 10]), column([1, 3, None])) == 82.5
    # In the unit of its input: a % formatted column gives a fraction.
    assert PCA_BENCHMARK(column([0.9, 0.8])) == pytest.approx(0.85, abs=1e-12)
    assert PCA_BENCHMARK(excel_range([[None, None]])) == ""
    # Rounded to 9 decimals, like ROUND(AVERAGE(...), 9) in the native formulas.
    third = PCA_BENCHMARK(column([90, 90, 91]))
    assert third == round(271 / 3, 9) and isinstance(third, float)


def test_the_three_functions_agree_on_the_sample_region(sample_region):
    rounds = sample_region.rounds
    labels = list(dict.fromkeys(rounds["round"]))
    pca = rounds.pivot(index="cluster_code", columns="round", values="pca_coverage")[labels]
    refusal = rounds.pivot(index="cluster_code", columns="round", values="refusal_rate")[labels]
    as_cells = [[None if np.isnan(v) else float(v) for v in values]
                for values in pca.to_numpy()]
    refusal_cells = [[None if np.isnan(v) else float(v) for v in values]
                     for values in refusal.to_numpy()]
    benchmarks = [PCA_BENCHMARK(column([values[k] for values in as_cells]))
                  for k in range(len(labels))]
    flags = CLUSTER_FLAGS(table(as_cells), table(refusal_cells), None, row(labels))
    statuses = [CLUSTER_STATUS(row(p), row(f), row(benchmarks))
                for p, f in zip(as_cells, refusal_cells, strict=True)]
    assert statuses == [r[0] for r in flags]
