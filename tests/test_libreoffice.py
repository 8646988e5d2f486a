"""LibreOffice recalculates what XlsxWriter leaves uncomputed; error cells stay visible."""

from __future__ import annotations

import openpyxl
import pytest
import xlsxwriter

from clusterbook.excel.libreoffice import recalculate, to_pdf
from conftest import require_program

pytestmark = pytest.mark.libreoffice


def test_recalculate_computes_classic_functions_and_keeps_errors(tmp_path):
    require_program("soffice")
    source = tmp_path / "in" / "book.xlsx"
    source.parent.mkdir()
    book = xlsxwriter.Workbook(str(source))
    sheet = book.add_worksheet("S")
    sheet.write_column("A1", [85.3, 90.1, 92.0])
    sheet.write_formula("B1", "=ROUND(AVERAGE(A1:A3),9)")
    sheet.write_formula("B2", '=IF(COUNTIFS(A1:A3,"<90")=1,"Low performing","On track")')
    sheet.write_formula("B3", "=1/0")
    book.close()
    before = source.read_bytes()

    out = recalculate(source, tmp_path / "out")

    values = openpyxl.load_workbook(out, data_only=True)["S"]
    assert values["B1"].value == pytest.approx(89.133333333)
    assert values["B2"].value == "Low performing"
    assert values["B3"].value == "#DIV/0!"
    assert source.read_bytes() == before


def test_to_pdf_renders(tmp_path):
    require_program("soffice")
    source = tmp_path / "book.xlsx"
    book = xlsxwriter.Workbook(str(source))
    book.add_worksheet("S").write("A1", "Hello")
    book.close()
    pdf = to_pdf(source, tmp_path / "pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
