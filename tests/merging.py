"""Folders of real submissions for the merge tests, written with the template builder, and the
review book read back as a reviewer's Excel would (openpyxl)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import openpyxl

from clusterbook.forms import ACTION_PLAN, MICROPLAN, FormData
from clusterbook.templates import write_form
from corpus import CLUSTER_CSV, microplan

#: Received times: files get modification times from this moment on, one hour apart.
BASE = dt.datetime(2025, 3, 27, 8, 0, tzinfo=dt.UTC)
NAMES = {"KTL-001": "Kotal Bala 1", "KTL-002": "Kotal Payan 2", "KTL-003": "Kotal Deh 3",
         "NHR-001": "Nahrin Qala 1"}
PLACES = {"KTL": ("Northern Hills", "Kotal"), "NHR": ("River Plain", "Nahrin")}
HEADER_ROW = 3


def plan(code: str, *, days_later: int = 0, team: list[str] | None = None,
         phone: str | None = None) -> FormData:
    """A correct microplan for a cluster of CLUSTER_CSV, signed ``days_later`` days after the
    first version; ``team`` renames its members, ``phone`` replaces the first contact."""
    data = copy.deepcopy(microplan(code, NAMES[code]))
    province, district = PLACES[code[:3]]
    data.records["identification"].update(province=province, district=district)
    sign_off = data.records["sign_off"]
    for key in ("dco_date", "dc_date", "cs_date"):
        sign_off[key] += dt.timedelta(days=days_later)
    if team is not None:
        for member, name in zip(data.tables["team"], team, strict=False):
            member["name"] = name
    if phone is not None:
        data.tables["team"][0]["contact"] = phone
    return data


def action_plan(district: str, codes: list[str], prepared: dt.date) -> FormData:
    province = next(p for p, d in PLACES.values() if d == district)
    return FormData(ACTION_PLAN, records={"details": {
        "province": province, "district": district, "prepared_by": "Ahmad Shah Noori",
        "prepared_on": prepared}}, tables={"actions": [
            {"cluster_code": code, "strategy": strategy, "bottleneck": "Refusals",
             "corrective_action": "Visits with the imam", "responsible": "DCO",
             "deadline": dt.date(2025, 3, 12), "supervisor": "PCO", "status": "Done"}
            for code in codes for strategy in ("Pull", "Push")]})


@lru_cache(maxsize=256)
def _bytes(key: tuple[Any, ...]) -> bytes:
    import tempfile

    kind, *arguments = key
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "form.xlsx"
        if kind == "microplan":
            code, days, team, phone = arguments
            write_form(path, MICROPLAN, plan(code, days_later=days,
                                             team=list(team) if team else None, phone=phone))
        else:
            district, codes, prepared = arguments
            write_form(path, ACTION_PLAN, action_plan(district, list(codes), prepared))
        return path.read_bytes()


def put(folder: Path, name: str, data: bytes, hour: int) -> Path:
    """Write a file as a district would send it, received ``hour`` hours after BASE."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    stamp = (BASE + dt.timedelta(hours=hour)).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def put_plan(folder: Path, name: str, code: str, hour: int, *, days_later: int = 0,
             team: tuple[str, ...] = (), phone: str | None = None) -> Path:
    return put(folder, name, _bytes(("microplan", code, days_later, team, phone)), hour)


def put_action_plan(folder: Path, name: str, district: str, codes: tuple[str, ...],
                    prepared: dt.date, hour: int) -> Path:
    return put(folder, name, _bytes(("action plan", district, codes, prepared)), hour)


def received(hour: int) -> str:
    return (BASE + dt.timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ")


def received_cell(hour: int) -> dt.datetime:
    """The same moment as the review book's date-time cell holds it."""
    return (BASE + dt.timedelta(hours=hour)).replace(tzinfo=None)


def put_kotal_plans(folder: Path) -> None:
    """Kotal's three microplans (KTL-001 to KTL-003), received an hour apart."""
    for hour, code in enumerate(("KTL-001", "KTL-002", "KTL-003")):
        put_plan(folder, f"Kotal_{code}.xlsx", code, hour)


def cluster_csv(folder: Path) -> Path:
    path = folder / "clusters.csv"
    path.write_text(CLUSTER_CSV, encoding="utf-8")
    return path


def table(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A review book sheet's rows by header, as openpyxl reads them."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        rows = list(book[sheet].iter_rows(min_row=HEADER_ROW, values_only=True))
    finally:
        book.close()
    header = [str(cell) if cell is not None else "" for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]
            if any(value not in (None, "") for value in row)]


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to prove nothing was modified."""
    return {str(path.relative_to(folder)): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*")) if path.is_file()}
