"""Reading round data as people really send it, and saying exactly where it is wrong."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import pytest

from clusterbook import classify_clusters
from clusterbook.domain.errors import InputError, WorkbookError
from clusterbook.domain.table import canonical_column
from clusterbook.excel.round_data import load_round_table

MESSY_HEADER = "Prov.,DISTRICT, Cluster Code ,Round,PCA %,Refusal rate (%),Missed children\n"


def write_csv(tmp_path, text: str, name: str = "rounds.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(("header", "column"), [
    ("Cluster Code", "cluster_code"), ("cluster_code", "cluster_code"), ("PCA %", "pca_coverage"),
    ("PCA coverage (%)", "pca_coverage"), ("Refusal rate (%)", "refusal_rate"),
    ("REFUSAL %", "refusal_rate"), ("Round", "round"), ("  round  ", "round"),
    ("Refusals", "refusals"), ("Children surveyed", "children_surveyed"), ("Notes", None),
])
def test_headers_match_without_case_spaces_or_punctuation(header, column):
    assert canonical_column(header) == column


def test_messy_csv_reads(tmp_path):
    path = write_csv(tmp_path, MESSY_HEADER
                     + "North,Kotal, KTL-001 ,R1,\"93%\",\" 4 \",\"1,234\"\n"
                     + "\n"
                     + "North,Kotal,KTL-001,R2,95.5,12,17\n")
    table = load_round_table(path)
    assert table["cluster_code"].tolist() == ["KTL-001", "KTL-001"]
    assert table["pca_coverage"].tolist() == [93.0, 95.5]
    assert table["refusal_rate"].tolist() == [4.0, 12.0]
    assert table["missed_children"].tolist() == [1234.0, 17.0]


def test_semicolon_csv_from_a_european_excel(tmp_path):
    path = write_csv(tmp_path, "Province;District;Cluster;Round;PCA;Refusal\n"
                               "P;D;C1;R1;90;1\n", encoding="cp1252")
    assert load_round_table(path)["pca_coverage"].tolist() == [90.0]


def test_text_where_a_number_belongs_names_row_and_column(tmp_path):
    path = write_csv(tmp_path, MESSY_HEADER + "N,K,C1,R1,93,4,1\nN,K,C1,R2,abc,4,1\n")
    with pytest.raises(InputError) as caught:
        load_round_table(path)
    assert str(caught.value) == ("rounds.csv › row 3, column 'PCA %': PCA coverage 'abc' is "
                                 "not a number.")


def test_blank_lines_do_not_shift_row_numbers(tmp_path):
    path = write_csv(tmp_path, MESSY_HEADER + "N,K,C1,R1,93,4,1\n\n\nN,K,C1,R2,93,140,1\n")
    with pytest.raises(InputError, match=r"row 5, column 'Refusal rate \(%\)': Refusal rate 140 "
                                         r"is outside 0 to 100"):
        load_round_table(path)


def test_missing_column_lists_what_was_found(tmp_path):
    path = write_csv(tmp_path, "Province,District,Cluster,Round,Coverage\nP,D,C1,R1,90\n")
    with pytest.raises(InputError) as caught:
        load_round_table(path)
    message = str(caught.value)
    assert message.startswith("rounds.csv: the table has no 'Refusal rate' column")
    assert "'Coverage'" in message


def test_two_columns_for_one_meaning(tmp_path):
    path = write_csv(tmp_path, "Province,District,Cluster,Round,PCA,Coverage,Refusal\n"
                               "P,D,C1,R1,90,91,1\n")
    with pytest.raises(InputError, match="columns 'PCA' and 'Coverage' both look like "
                                         "PCA coverage"):
        load_round_table(path)


def test_duplicate_cluster_and_round(tmp_path):
    path = write_csv(tmp_path, "Province,District,Cluster,Round,PCA,Refusal\n"
                               "P,D,C1,R1,90,1\nP,D,C2,R1,90,1\nP,D,C1,R1,91,1\n")
    with pytest.raises(InputError) as caught:
        load_round_table(path)
    assert str(caught.value) == ("rounds.csv › row 4, column 'Cluster': cluster C1 has a second "
                                 "row for round R1 (the first is row 2); keep one.")


def test_cluster_in_two_districts(tmp_path):
    path = write_csv(tmp_path, "Province,District,Cluster,Round,PCA,Refusal\n"
                               "P,D1,C1,R1,90,1\nP,D2,C1,R2,90,1\n")
    with pytest.raises(InputError, match="cluster C1 is listed under district 'D2' here"):
        load_round_table(path)


def test_every_problem_is_reported_at_once(tmp_path):
    path = write_csv(tmp_path, "Province,District,Cluster,Round,PCA,Refusal\n"
                               "P,D,,R1,90,1\nP,D,C2,R1,x,1\nP,D,C3,R1,90,-2\n")
    with pytest.raises(InputError) as caught:
        load_round_table(path)
    assert len(caught.value.problems) == 3


def test_xlsx_errors_name_the_cell(tmp_path):
    path = tmp_path / "Rounds.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "PCA data"
    sheet["A1"] = "Campaign results (title row above the table)"
    sheet.append([])
    sheet.append(["Province", "District", "Cluster code", "Round", "PCA %", "Refusal %"])
    sheet.append(["P", "D", "C1", "R1", 0.93, 0.02])
    sheet.append(["P", "D", "C1", "R2", "12ab", 0.02])
    book.save(path)
    with pytest.raises(InputError) as caught:
        load_round_table(path)
    assert str(caught.value) == "Rounds.xlsx › PCA data › E5: PCA coverage '12ab' is not a number."


def test_xlsx_numbers_dates_and_fractions(tmp_path):
    path = tmp_path / "rounds.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Province", "District", "Cluster code", "Round", "PCA", "Refusal"])
    sheet.append(["P", "D", 1001, dt.datetime(2025, 2, 10), 0.91, 0.01])
    sheet.append(["P", "D", 1001, dt.datetime(2025, 1, 10), 0.935, 0.2])
    book.save(path)
    table = load_round_table(path)
    assert table["cluster_code"].tolist() == ["1001", "1001"]
    assert table["pca_coverage"].tolist() == [91.0, 93.5]
    assert table["round"].tolist() == [dt.date(2025, 2, 10), dt.date(2025, 1, 10)]


def test_a_broken_workbook_is_a_clear_error(tmp_path):
    path = tmp_path / "rounds.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(WorkbookError, match=r"rounds\.xlsx: the file is damaged or incomplete"):
        load_round_table(path)


def test_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match=r"must be a \.csv or \.xlsx file"):
        load_round_table(write_csv(tmp_path, "x", name="rounds.pdf"))


def test_codes_rounds_and_percents_are_enough(tmp_path):
    path = write_csv(tmp_path, "Cluster Code,Round,PCA %,Refusal rate (%)\n"
                               "C1,R1,80,2\nC1,R2,81,3\nC2,R1,97,1\nC2,R2,98,1\n")
    table = load_round_table(path)
    assert table["province"].tolist() == [""] * 4
    assert table["district"].tolist() == [""] * 4
    flags = classify_clusters(table, rounds=2)
    assert flags.loc[flags["round"] == "R2", "status"].tolist() == ["Low performing", "On track"]


def test_title_rows_above_the_header_are_skipped(tmp_path):
    path = write_csv(tmp_path, "Kandahar: PCA by cluster\n"
                               "Exported 2024-05-01,,,\n"
                               "\n"
                               "Cluster Code,Round,PCA %,Refusal rate (%)\n"
                               "C1,R1,80,2\n"
                               "C1,R2,abc,3\n")
    with pytest.raises(InputError) as caught:
        load_round_table(path)
    # The bad value is named by its line in the file, title rows counted.
    assert str(caught.value) == ("rounds.csv › row 6, column 'PCA %': PCA coverage 'abc' is "
                                 "not a number.")


def test_title_rows_above_a_semicolon_header(tmp_path):
    path = write_csv(tmp_path, "Round data; exported by the EOC\n"
                               "Province;District;Cluster;Round;PCA;Refusal\n"
                               "P;D;C1;R1;90;1\n")
    assert load_round_table(path)["pca_coverage"].tolist() == [90.0]


def test_a_date_column_names_the_rounds(tmp_path):
    path = write_csv(tmp_path, "Cluster Code,Date,PCA %,Refusal rate (%)\n"
                               "C1,2024-03-10,80,3\nC1,2023-11-05,81,12\nC1,2024-01-14,70,14\n")
    flags = classify_clusters(load_round_table(path), rounds=2)
    # Rounds in date order, labels as typed: high refusal in the first two rounds.
    assert flags.attrs["rounds"] == ["2023-11-05", "2024-01-14", "2024-03-10"]
    assert flags["status"].tolist() == ["On track", "Low performing", "Low performing"]
    assert flags["entered_round"].tolist()[1] == "2024-01-14"


def test_a_table_without_rounds_says_a_date_would_do(tmp_path):
    path = write_csv(tmp_path, "Cluster Code,PCA %,Refusal rate (%)\nC1,80,2\n")
    with pytest.raises(InputError, match=r"no 'Round' \(or 'Date'\) column"):
        load_round_table(path)


def test_plain_text_columns_classify_as_categorical_ones(sample_round_csv, tmp_path):
    """pandas' own reading (plain strings, rows in any order, blanks) gives the same flags as
    the categorical columns ClusterBook reads."""
    plain = pd.read_csv(sample_round_csv)
    shuffled = plain.sample(frac=1.0, random_state=3).reset_index(drop=True)
    shuffled.loc[5, "pca_coverage"] = float("nan")
    ours = classify_clusters(load_round_table(_write(shuffled, tmp_path)))
    theirs = classify_clusters(shuffled)
    pd.testing.assert_frame_equal(ours.astype(object), theirs.astype(object))
    sorted_plain = classify_clusters(plain)
    as_categories = classify_clusters(plain.astype({key: "category" for key in (
        "province", "district", "cluster_code", "round")}))
    pd.testing.assert_frame_equal(sorted_plain.astype(object), as_categories.astype(object))


def _write(frame, folder):
    path = folder / "shuffled.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("encoding", ["cp1252", "utf-16", "utf-8-sig", "utf-8"])
def test_encodings_excel_saves_read_alike(tmp_path, encoding):
    path = write_csv(tmp_path, "Cluster,Cluster name,Round,PCA,Refusal\nC1,Kötal é,R1,90,1\n",
                     encoding=encoding)
    assert load_round_table(path)["cluster_name"].tolist() == ["Kötal é"]


@pytest.mark.parametrize("values", [
    ["R1", "R2", "R3"] * 40,                              # rounds cycling cluster by cluster
    [f"C{n // 24}" for n in range(240)],                  # clusters in runs
    ["R1", "R2", "R3"] * 39 + ["R1", "R2", "R9"],         # a cycle broken at the very end
    ["a", float("nan"), "a", "b"] * 30,                   # gaps repeat too
    [f"x{(n * 7919) % 13}" for n in range(200)],           # no order at all
    ["P1"] * 100 + [None] * 20 + ["P2"] * 100,
])
def test_text_codes_are_pandas_codes_whatever_the_order(values):
    """The shortcuts for sorted and cycling columns give pandas' own factorization."""
    from clusterbook.domain.table import _factorize_text

    array = np.asarray(values, dtype=object)
    codes, uniques = _factorize_text(array)
    expected_codes, expected_uniques = pd.factorize(array, use_na_sentinel=True)
    assert codes.tolist() == expected_codes.tolist()
    assert list(uniques) == list(expected_uniques)


def test_xlsx_with_codes_and_dates_only(tmp_path):
    """A workbook sheet with a title, then cluster, date, PCA and refusal: read like the CSV."""
    path = tmp_path / "national.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "PCA by cluster, all campaigns"
    sheet.append(["Cluster Code", "Date", "PCA %", "Refusal rate (%)"])
    sheet.append(["C1", dt.datetime(2024, 3, 10), 80, 3])
    sheet.append(["C1", dt.datetime(2023, 11, 5), 81, 12])
    sheet.append(["C1", dt.datetime(2024, 1, 14), 70, 14])
    book.save(path)
    flags = classify_clusters(load_round_table(path), rounds=2)
    assert flags.attrs["rounds"] == [dt.date(2023, 11, 5), dt.date(2024, 1, 14),
                                     dt.date(2024, 3, 10)]
    assert flags["status"].tolist() == ["On track", "Low performing", "Low performing"]
    assert set(flags["province"]) == {""}
