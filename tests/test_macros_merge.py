"""The Merge button, pressed in a campaign data book, on a real folder of submissions.

Excel is not here: the book, its folder dialog, status bar, alerts and ``books.open`` are a
small stand-in; the data book, the submissions and the review book are real files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import xlwings as xw

from clusterbook import macros
from clusterbook.consolidate.review_book import read_review_book
from clusterbook.forms.databook import DATABOOK
from clusterbook.forms.schema import FORM_SHEET
from clusterbook.jobs.databook import DataBookRequest, run_databook
from clusterbook.sample.submissions import write_sample_submissions


@dataclass
class Dialog:
    picked: str | None
    Title: str = ""

    def Show(self) -> int:
        return -1 if self.picked else 0

    def SelectedItems(self, index: int) -> str:
        assert index == 1 and self.picked
        return self.picked


@dataclass
class Excel:
    picked: str | None
    status_bar: Any = None
    statuses: list[str] = field(default_factory=list)
    alerts: list[tuple[str, str | None]] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "status_bar" and isinstance(value, str):
            self.statuses.append(value)
        object.__setattr__(self, name, value)

    @property
    def api(self) -> Excel:
        return self

    def FileDialog(self, kind: int) -> Dialog:
        assert kind == 4  # the folder picker
        return Dialog(self.picked)

    @property
    def books(self) -> Excel:
        return self

    def open(self, path: str) -> None:
        self.opened.append(path)

    def alert(self, prompt: str, title: str | None = None, mode: str | None = None) -> None:
        self.alerts.append((prompt, mode))


@dataclass
class Cell:
    value: Any


@dataclass
class Sheet:
    name: str
    cells: dict[str, Any] = field(default_factory=dict)

    def range(self, address: str) -> Cell:
        return Cell(self.cells.get(address))


class Sheets(list):
    def __getitem__(self, key: Any) -> Sheet:
        if isinstance(key, str):
            return next(sheet for sheet in self if sheet.name == key)
        return super().__getitem__(key)


@dataclass
class Book:
    fullname: str
    app: Excel
    sheets: Sheets


@pytest.fixture(scope="module")
def region(tmp_path_factory, sample_round_csv):
    folder = tmp_path_factory.mktemp("region")
    databook = folder / "databook.xlsx"
    run_databook(DataBookRequest(sample_round_csv, databook))
    write_sample_submissions(folder / "submissions", district="Tangi", mistake_share=0.1)
    return folder, databook


def press(monkeypatch, databook: Path, picked: str | None) -> Excel:
    excel = Excel(picked)
    book = Book(str(databook), excel,
                Sheets([Sheet("PCA"), Sheet(FORM_SHEET, {"B1": DATABOOK.form_id})]))
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    macros.merge_submissions()
    return excel


def test_merge_button_writes_and_opens_the_review_book(region, monkeypatch):
    folder, databook = region
    excel = press(monkeypatch, databook, str(folder / "submissions"))
    out = folder / "review-book.xlsx"
    assert excel.opened == [str(out)]
    assert excel.statuses and excel.status_bar is False
    (summary, mode), = excel.alerts
    assert mode is None and "928 clusters expected" in summary
    content = read_review_book(out)
    assert content.info.clusters  # the data book was the cluster list
    assert {source.file for source in content.sources} >= {
        path.name for path in (folder / "submissions").glob("Tangi_*.xlsx")}


def test_cancelling_the_folder_dialog_does_nothing(region, monkeypatch, tmp_path):
    _, databook = region
    excel = press(monkeypatch, databook, None)
    assert excel.alerts == [] and excel.opened == [] and excel.statuses == []


def test_a_review_book_open_in_excel_is_left_alone(region, monkeypatch, tmp_path):
    _, databook = region
    submissions = tmp_path / "submissions"
    write_sample_submissions(submissions, district="Dasht", mistake_share=0.0)
    out = tmp_path / "review-book.xlsx"
    out.write_bytes(b"the reviewers' book, open in Excel")
    (tmp_path / "~$review-book.xlsx").write_bytes(b"lock")
    excel = press(monkeypatch, databook, str(submissions))
    (message, mode), = excel.alerts
    assert mode == "critical" and "open in Excel" in message
    assert out.read_bytes() == b"the reviewers' book, open in Excel"
    assert excel.opened == []
