"""The campaign data book as written: classic formulas only, sized to its data plus stated
headroom (the blank template 1,500 x 24), filled from the same round table as the engine, and
read back by the round-data reader."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from clusterbook.cli import main
from clusterbook.domain.errors import InputError
from clusterbook.domain.rules import classify_clusters
from clusterbook.domain.table import prepare_round_table
from clusterbook.excel.read import open_workbook, read_sheet
from clusterbook.excel.round_data import load_round_table
from clusterbook.forms.databook import (
    ADDIN_SHEET,
    BENCHMARKS,
    MAX_CLUSTERS,
    MAX_ROUNDS,
    PARAMETER_NAMES,
    PARAMETERS,
    PCA,
    TEMPLATE_CLUSTERS,
    TEMPLATE_ROUNDS,
    DataBookRoom,
    room_for,
)
from clusterbook.templates import template_path
from clusterbook.templates.databook import addin_formula, write_databook
from clusterbook.templates.databook_content import DataBookContent, databook_content
from xlsx_parts import defined_names, formulas, replace_in_part, sheet_parts

#: Functions of Excel 2010 the native sheets may use. Nothing newer (LET, FILTER, XLOOKUP,
#: LAMBDA, TEXTJOIN, IFS, MAXIFS, CONCAT, SWITCH, UNIQUE, SORT, SEQUENCE...).
EXCEL_2010 = {"IF", "AND", "OR", "NOT", "ISNUMBER", "ISNA", "INDEX", "MATCH", "COUNT",
              "COUNTIF", "COUNTIFS", "AVERAGE", "ROUND", "MAX", "ABS", "LEN", "TRIM", "TEXT",
              "IFERROR", "N", "SUMPRODUCT", "MOD", "INT"}
_FUNCTION = re.compile(r"([A-Z][A-Z0-9._]*)\(")


@pytest.fixture(scope="module")
def template_parts():
    return sheet_parts(template_path("campaign-databook"))


def test_native_sheets_use_only_excel_2010_functions(template_parts):
    used: dict[str, set[str]] = {}
    for sheet, xml in template_parts.items():
        for formula in formulas(xml).values():
            # Sheet names such as 'Flags (add-in)' are not functions.
            text = re.sub(r"'[^']*'!", "", formula)
            for name in _FUNCTION.findall(text):
                used.setdefault(name, set()).add(sheet)
        assert "_xlfn." not in xml, f"{sheet} uses a function newer than Excel 2010"
    assert used.pop("CLUSTER_FLAGS") == {ADDIN_SHEET}
    assert set(used) <= EXCEL_2010, set(used) - EXCEL_2010
    # Only the add-in cell is a dynamic array formula; the native sheets never spill.
    spilled = [sheet for sheet, xml in template_parts.items() if ' cm="1"' in xml]
    assert spilled == [ADDIN_SHEET]


def test_the_template_has_room_for_1500_clusters_and_24_rounds(template_parts):
    assert (TEMPLATE_CLUSTERS, TEMPLATE_ROUNDS) == (1500, 24)
    last_row = PCA.header_row + TEMPLATE_CLUSTERS
    status = formulas(template_parts["Status"])
    # Status: round 24 in column Y; helpers: round 24 in column Z.
    assert f"Y{last_row}" in status and f"Z{last_row}" not in status
    assert f"B{last_row + 1}" not in status
    for helper in ("_runs", "_list"):
        assert f"Z{last_row}" in formulas(template_parts[helper])
        assert f"AA{last_row}" not in formulas(template_parts[helper])
    validations = re.findall(r'<dataValidation type="decimal"[^>]*sqref="([^"]+)"',
                             template_parts["PCA"])
    assert len(validations) == TEMPLATE_ROUNDS
    assert f"Z{PCA.first_data_row}:Z{last_row}" in validations
    assert 'ySplit="3"' in template_parts["PCA"] and 'xSplit="2"' in template_parts["PCA"]


def test_parameters_are_named_cells(template_parts):
    names = defined_names(template_path("campaign-databook"))
    for key, name in PARAMETER_NAMES.items():
        assert names[name] == f"Benchmarks!$B${PARAMETERS.row_of(key)}"
    assert "LastRound" in names


def test_status_walks_the_previous_round_and_the_benchmark(template_parts):
    status = formulas(template_parts["Status"])
    # Round 2 of the third cluster (row 6) reads the helper sheets' round-2 column, and the
    # helpers read round 1's column; the benchmark used is Benchmarks!E (regional mean or
    # override).
    assert "_list!D6>0" in status["C6"] and "MOD(_runs!D6,100)>0" in status["C6"]
    runs = formulas(template_parts["_runs"])["D6"]
    assert "MOD(C6,100)+1" in runs and f"Benchmarks!$E${BENCHMARKS.row_of_round(2)}" in runs
    assert "RefusalThreshold" in runs and "ExitBenchmark" in runs
    on_list = formulas(template_parts["_list"])["D6"]
    assert "IF(C6>0,C6,2)" in on_list and "-ABS(C6)" in on_list
    average = formulas(template_parts["Benchmarks"])[f"C{BENCHMARKS.row_of_round(2)}"]
    assert "ROUND(AVERAGE(PCA!$D$4:$D$1503),9)" in average


def test_addin_formula_spans_the_whole_tables():
    assert addin_formula() == (
        "=CLUSTER_FLAGS(PCA!$C$4:$Z$1503,Refusals!$C$4:$Z$1503,Benchmarks!$E$11:$E$34,"
        "PCA!$C$3:$Z$3,RoundsToEnter,RefusalThreshold,ExitBenchmark)")
    assert addin_formula(DataBookRoom(MAX_CLUSTERS, MAX_ROUNDS)) == (
        "=CLUSTER_FLAGS(PCA!$C$4:$AL$2003,Refusals!$C$4:$AL$2003,Benchmarks!$E$11:$E$46,"
        "PCA!$C$3:$AL$3,RoundsToEnter,RefusalThreshold,ExitBenchmark)")


def test_a_filled_book_is_sized_to_its_data_with_stated_headroom(tmp_path):
    # A fifth more clusters (at least 100) in whole hundreds, and 12 more rounds; capped.
    assert room_for(928, 12) == DataBookRoom(1200, 24)
    assert room_for(25, 3) == DataBookRoom(200, 15)
    assert room_for(1950, 30) == DataBookRoom(MAX_CLUSTERS, MAX_ROUNDS)
    assert room_for(0, 0) == DataBookRoom(TEMPLATE_CLUSTERS, TEMPLATE_ROUNDS)
    book = write_databook(tmp_path / "book.xlsx", databook_content(
        prepare_round_table(_table(25, 3))))
    parts = sheet_parts(book)
    status = formulas(parts["Status"])
    assert "P203" in status and "Q203" not in status and "B204" not in status
    instructions = read_sheet(open_workbook(book), "Instructions").rows
    assert any("room for 200 clusters and 15 rounds" in str(cell)
               for row in instructions for cell in row)


def test_the_addin_sheet_prints_its_headers_and_first_row_only(tmp_path):
    """Without the add-in only its first row shows anything, so the rest is not set to print
    (Current prints the same flags); the note says how to print more."""
    import openpyxl

    book = write_databook(tmp_path / "book.xlsx", databook_content(
        prepare_round_table(_table(150, 3))))
    sheet = openpyxl.load_workbook(book)[ADDIN_SHEET]
    assert sheet.print_area == f"'{ADDIN_SHEET}'!$A$1:$E${PCA.first_data_row}"
    assert sheet.print_title_rows == f"${PCA.header_row}:${PCA.header_row}"
    assert "Only the first row prints" in sheet["A2"].value


def _table(clusters: int, rounds: int) -> pd.DataFrame:
    return pd.DataFrame({
        "Province": "P", "District": "D",
        "Cluster code": np.repeat([f"C{i}" for i in range(clusters)], rounds),
        "Round": np.tile([f"R{r + 1}" for r in range(rounds)], clusters),
        "PCA": 90.0, "Refusal rate": 1.0,
    })


def test_capacity_is_checked_with_a_plain_message():
    with pytest.raises(InputError, match="room for 2,000"):
        databook_content(prepare_round_table(_table(MAX_CLUSTERS + 1, 1)))
    with pytest.raises(InputError, match="room for 36"):
        databook_content(prepare_round_table(_table(1, MAX_ROUNDS + 1)))


def test_a_weighted_benchmark_is_refused_and_fixed_ones_become_overrides():
    table = prepare_round_table(_table(2, 3))
    with pytest.raises(InputError, match="weighted"):
        databook_content(table, benchmark="weighted")
    assert databook_content(table, benchmark=92.5).overrides == {0: 92.5, 1: 92.5, 2: 92.5}
    assert databook_content(table, benchmark={"R2": 80}).overrides == {1: 80.0}
    with pytest.raises(InputError, match="R9"):
        databook_content(table, benchmark={"R9": 80})


def test_cli_fills_the_book_and_the_reader_reads_it_back(tmp_path, sample_round_csv,
                                                         sample_region):
    clusters_csv = tmp_path / "clusters.csv"
    sample_region.clusters.to_csv(clusters_csv, index=False)
    out = tmp_path / "book.xlsx"
    assert main(["databook", str(sample_round_csv), "--out", str(out), "--clusters",
                 str(clusters_csv)]) == 0

    # The book's own inputs, read back, flag exactly as the original data.
    from_book = classify_clusters(load_round_table(out))
    original = classify_clusters(sample_region.rounds)
    for column in ("cluster_code", "round", "status", "reasons", "entered_round"):
        assert from_book[column].astype(str).tolist() == original[column].astype(str).tolist()
    np.testing.assert_array_equal(from_book["pca_coverage"], original["pca_coverage"])
    clusters = sheet_parts(out)["Clusters"]
    first = sample_region.clusters.iloc[0]
    assert f"<v>{first['target_population']}</v>" in clusters


def test_cli_refuses_bad_requests_plainly(tmp_path, sample_round_csv, capsys):
    # A wrong output name is a wrong use of the command (exit code 2): nothing is written.
    assert main(["databook", str(sample_round_csv), "--out", str(tmp_path / "x.csv")]) == 2
    assert "'x.csv' must end in .xlsx" in capsys.readouterr().err
    assert main(["databook", str(sample_round_csv), "--out", str(tmp_path / "x.xlsx"),
                 "--benchmark", "weighted"]) == 1
    assert "weighted" in capsys.readouterr().err
    bad_list = tmp_path / "clusters.csv"
    bad_list.write_text("Cluster code,Households\nKTL-001,12\nKTL-002,many\n")
    assert main(["databook", str(sample_round_csv), "--out", str(tmp_path / "x.xlsx"),
                 "--clusters", str(bad_list)]) == 1
    assert "clusters.csv › row 3, column 'Households': Households 'many'" in \
        capsys.readouterr().err
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_typed_mistake_in_the_book_is_named_by_sheet_and_cell(tmp_path):
    table = prepare_round_table(_table(3, 2))
    book = write_databook(tmp_path / "book.xlsx", databook_content(table))
    cell = re.search(r'<c r="D5" s="(\d+)"><v>90</v></c>', sheet_parts(book)["PCA"])
    assert cell is not None
    broken = replace_in_part(book, tmp_path / "broken.xlsx", "PCA", cell.group(0),
                             f'<c r="D5" s="{cell.group(1)}" t="inlineStr"><is><t>ninety</t>'
                             f"</is></c>")
    with pytest.raises(InputError) as caught:
        load_round_table(broken)
    assert str(caught.value) == "broken.xlsx › PCA › D5: PCA coverage 'ninety' is not a number."


def test_blank_content_writes_the_template(tmp_path):
    book = write_databook(tmp_path / "blank.xlsx", DataBookContent())
    assert book.read_bytes() == template_path("campaign-databook").read_bytes()


def test_round_data_is_read_as_flags_reads_it(tmp_path):
    """Fractions become percents, percent text is read, rounds are put in campaign order."""
    source = tmp_path / "rounds.csv"
    source.write_text("Province,District,Cluster Code,Round,PCA %,Refusal rate\n"
                      "P,D,A-1,R10,0.93,0.05\n"
                      "P,D,A-1,R2,0.8,0.12\n"
                      "P,D,A-1,R1,0.855,\n"
                      "P,D,B-2,R2,0.91,0.01\n")
    out = tmp_path / "book.xlsx"
    assert main(["databook", str(source), "--out", str(out)]) == 0
    book = open_workbook(out)
    pca, refusals = read_sheet(book, "PCA"), read_sheet(book, "Refusals")
    assert [pca.value(3, column) for column in (3, 4, 5, 6)] == ["R1", "R2", "R10", ""]
    assert [[pca.value(row, column) for column in (1, 3, 4, 5)] for row in (4, 5)] == [
        ["A-1", 85.5, 80.0, 93.0], ["B-2", "", 91.0, ""]]
    assert [[refusals.value(row, column) for column in (3, 4, 5)] for row in (4, 5)] == [
        ["", 12.0, 5.0], ["", 1.0, ""]]
