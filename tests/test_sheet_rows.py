"""Long sheets' rows written as worksheet XML into a saved book: read back by every reader."""

from __future__ import annotations

import datetime as dt

import numpy as np
import openpyxl
import pandas as pd
import python_calamine
import xlsxwriter

from clusterbook.excel.sheet_rows import SheetRows, fill_rows

TEXTS = ["plain", "=1+1", "a & b < c > d", "  spaced  ", "tab\there", "bell\x07", "naïve ڪلستر",
         "", "line\nbreak",
         "carriage\rreturn", "_x0041_ reads as itself"]


def _book(tmp_path, frame: pd.DataFrame):
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    before = book.add_worksheet("Before")
    before.write(0, 0, "kept")
    sheet = book.add_worksheet("Rows")
    sheet.write(0, 0, "Title")
    for index, name in enumerate(frame.columns):
        sheet.write(1, index, name)
    percent = book.add_format({"num_format": "0.0"})
    percent._get_xf_index()
    book.close()
    styles = [percent.xf_index if name == "number" else 0 for name in frame.columns]
    fill_rows(path, [SheetRows(sheet.index, [frame[name] for name in frame.columns], styles, 3)])
    return path


def test_rows_read_back_in_openpyxl_and_calamine(tmp_path):
    count = len(TEXTS)
    frame = pd.DataFrame({
        "text": pd.Series(TEXTS, dtype=object),
        "category": pd.Categorical(["R1", None, "R2"] * 3 + ["R1", "R2"]),
        "number": [93.25, np.nan, -4.0, 1e-7, 12.0, 0.1, 3.0, 2.5, 7.0, 1.0, 2.0],
        "count": pd.array([1, None, 3, 4, 5, 6, 7, 8, 9, 10, 11], dtype="Int32"),
        "flag": [True, False, True] * 3 + [True, False],
        "date": [dt.date(2024, 3, 10)] * count,
    })
    path = _book(tmp_path, frame)
    book = openpyxl.load_workbook(path)
    assert book["Before"]["A1"].value == "kept"
    sheet = book["Rows"]
    assert sheet.dimensions == f"A1:F{2 + count}"
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    # Control characters are written as Excel escapes them (_x0007_); openpyxl shows the
    # escape, Excel and calamine the character.
    expected_texts = [text.replace("\x07", "_x0007_").replace("\r", "_x000D_")
                      .replace("_x0041_", "_x005F_x0041_") for text in TEXTS]
    assert [row[0] for row in rows] == [text or None for text in expected_texts]
    assert sheet["A4"].data_type == "s"  # '=1+1' stays text, never a formula
    assert [row[1] for row in rows] == ["R1", None, "R2"] * 3 + ["R1", "R2"]
    assert [row[2] for row in rows] == [93.25, None, -4.0, 1e-7, 12.0, 0.1, 3.0, 2.5, 7.0,
                                        1.0, 2.0]
    assert sheet["C3"].number_format == "0.0"
    assert [row[3] for row in rows] == [1, None, 3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert [row[4] for row in rows] == [True, False, True] * 3 + [True, False]
    assert [row[5] for row in rows] == ["2024-03-10"] * count
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    values = calamine.get_sheet_by_name("Rows").to_python()
    assert [row[0] for row in values[2:]] == [text for text in TEXTS]
    assert values[2][2] == 93.25


def test_a_sheet_without_rows_stays_as_written(tmp_path):
    path = _book(tmp_path, pd.DataFrame({"text": pd.Series([], dtype=object)}))
    assert openpyxl.load_workbook(path)["Rows"]["A2"].value == "text"


def test_dates_are_written_as_dates_in_their_own_format(tmp_path):
    path = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Rows")
    sheet.write(0, 0, "Title")
    day = book.add_format({"num_format": "dd/mm/yyyy"})
    count = book.add_format({"num_format": "#,##0"})
    styles = [day._get_xf_index(), count._get_xf_index()]
    book.close()
    columns = [pd.Series([dt.date(2025, 12, 31), "not a date", None], dtype=object),
               pd.Series([12, dt.datetime(1900, 1, 1, 12), dt.date(1900, 3, 1)], dtype=object)]
    fill_rows(path, [SheetRows(sheet.index, columns, styles, 2, date_style=styles[0])])
    rows = openpyxl.load_workbook(path)["Rows"]
    assert [rows[f"A{row}"].value for row in (2, 3, 4)] == [dt.datetime(2025, 12, 31),
                                                            "not a date", None]
    # A date in a column of counts is still a date, in the date format (as write_datetime).
    assert [rows[f"B{row}"].value for row in (2, 3, 4)] == [
        12, dt.datetime(1900, 1, 1, 12), dt.datetime(1900, 3, 1)]
    assert [rows[f"B{row}"].number_format for row in (2, 3, 4)] == [
        "#,##0", "dd/mm/yyyy", "dd/mm/yyyy"]
    assert rows["A3"].number_format == "dd/mm/yyyy"  # text keeps its column's format
