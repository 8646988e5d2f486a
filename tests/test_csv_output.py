"""CSV files ClusterBook writes: the same table pandas reads back, and never a formula."""

from __future__ import annotations

import csv
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from clusterbook import classify_clusters
from clusterbook.cli import main
from clusterbook.excel.csv_table import safe_text, write_csv

HOSTILE = ["=HYPERLINK(\"http://x\",\"click\")", "+1+2", "-2+3", "@SUM(A1)", "\tleading tab",
           "\rreturn", "plain", "a,comma", 'a "quote"', "line\nbreak", "", "  spaced  ",
           "semi;colon", "=1", "naïve ڪلستر"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_a_spreadsheet_would_run_gets_an_apostrophe(text):
    cell = next(csv.reader([safe_text(text)]))[0] if text else ""
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert cell == "'" + text
    else:
        assert cell == text


def test_a_table_reads_back_as_written(tmp_path):
    frame = pd.DataFrame({
        "text": pd.Series(HOSTILE, dtype=object),
        "text_category": pd.Categorical(HOSTILE),
        "category": pd.Categorical(["R1", "R2", None] * 5),
        "number": [93.3, -4.5, np.nan, 1e-7, 12.0] * 3,
        "count": pd.array([1, None, 3, 4, 5] * 3, dtype="Int32"),
        "flag": [True, False, True] * 5,
        "date": [dt.date(2024, 3, 10)] * 15,
    })
    path = write_csv(frame, tmp_path / "table.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    back = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False, dtype=str)
    expected = ["'" + text if text[:1] in "=+-@\t\r" and text else text for text in HOSTILE]
    assert back["text"].tolist() == back["text_category"].tolist() == expected
    assert back["category"].tolist() == ["R1", "R2", ""] * 5
    # Numbers stay numbers, as pandas writes them; a negative number is not escaped.
    assert back["number"].tolist() == ["93.3", "-4.5", "", "1e-07", "12.0"] * 3
    assert back["count"].tolist() == ["1", "", "3", "4", "5"] * 3
    assert back["flag"].tolist() == ["True", "False", "True"] * 5
    assert back["date"].tolist() == ["2024-03-10"] * 15


def test_nul_characters_are_dropped_not_the_cell(tmp_path):
    path = write_csv(pd.DataFrame({"a": ["x\0y", "z"], "b": [1, 2]}), tmp_path / "t.csv",
                     bom=False)
    assert path.read_bytes() == b"a,b\r\nxy,1\r\nz,2\r\n"


def test_flags_csv_is_the_table_pandas_writes(tmp_path, sample_round_csv):
    out = tmp_path / "flags.csv"
    assert main(["flags", str(sample_round_csv), "--out", str(out)]) == 0
    flags = classify_clusters(pd.read_csv(sample_round_csv))
    reference = tmp_path / "reference.csv"
    flags.to_csv(reference, index=False, float_format="%.10g")
    ours = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    theirs = pd.read_csv(reference, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(ours, theirs)


def test_flags_csv_escapes_cluster_names(tmp_path):
    path = tmp_path / "rounds.csv"
    path.write_text("Cluster Code,Cluster name,Round,PCA %,Refusal rate (%)\n"
                    "=cmd|' /C calc'!A0,@evil,R1,80,2\n", encoding="utf-8")
    out = tmp_path / "flags.csv"
    assert main(["flags", str(path), "--out", str(out)]) == 0
    row = pd.read_csv(out, encoding="utf-8-sig", dtype=str).iloc[0]
    assert row["cluster_code"] == "'=cmd|' /C calc'!A0"
    assert row["cluster_name"] == "'@evil"
