"""What the data book's formulas give for the data it is filled with.

Every formula cell of the book stores this as its value, so a viewer, a preview or a file
reader that does not recalculate shows the same as Excel. The rule is walked here exactly as
the formulas walk it (``clusterbook.templates.databook_formulas``): the same streaks, the same
list state, the same texts; the tests recalculate the book in LibreOffice and compare every
cell.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from clusterbook.domain.rule_parameters import STATUS_LABELS
from clusterbook.domain.rules import REASON_SEPARATOR, Reason
from clusterbook.forms.databook import DataBookRoom
from clusterbook.templates.databook_content import DataBookContent
from clusterbook.templates.databook_formulas import RUN_BASE

NO_DATA, ON_TRACK, WATCH, LOW = STATUS_LABELS
#: The district rows of the dashboard.
DASHBOARD_DISTRICTS = 100
_EPOCH = dt.date(1899, 12, 30)


def excel_serial(day: dt.date) -> float:
    """A date as Excel's serial number (what a formula referring to the cell gets)."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return float((day - _EPOCH).days)


def cell_value(label: object) -> object:
    """What a formula referring to a label cell gets: a date as its serial, text as text."""
    if label is None or label == "":
        return ""
    if isinstance(label, dt.date):
        return excel_serial(label)
    return str(label)


def number_text(value: float) -> str:
    """A number joined to text with &, as Excel writes it (15 significant digits)."""
    if float(value).is_integer():
        return str(int(value))
    return f"{float(value):.15g}"


def excel_round(value: float, digits: int) -> float:
    """ROUND(value, digits): halves away from zero, on the decimal the number shows."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def label_title(label: object) -> str:
    """A round label in a title: dates as dd/mm/yyyy (TEXT(label, "dd/mm/yyyy"))."""
    if isinstance(label, dt.date):
        return label.strftime("%d/%m/%Y")
    return str(label)


@dataclass
class DataBookValues:
    """The value of every formula of a filled data book, row by row (index 0 = the first
    cluster row) and round by round (index 0 = round 1)."""

    labels: list[object]  # per round column: "" where no label
    in_use: list[int]
    last: int  # LastRound
    counts: list[int]
    averages: list[object]  # number or ""
    used: list[object]
    runs: np.ndarray  # rows x rounds, packed streaks
    on_list: np.ndarray
    status: np.ndarray  # rows x rounds of text
    codes: list[str]
    districts: list[str]
    current: list[list[object]]  # rows x the Current columns
    running: list[int]  # _districts: running count of distinct (province, district)
    keys: list[str]
    dashboard: list[list[object]]  # district rows: province .. low performing (%)
    region: list[object]  # the region row's C..H
    by_round: list[list[object]]  # round rows: label, average, used, four counts
    title_label: str


def _shown(value: object) -> object:
    """IF(cell="","",cell) over an input cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _percent(value: float) -> float:
    return 100.0 * value


def compute_values(content: DataBookContent, room: DataBookRoom) -> DataBookValues:
    """The values of every formula of the book ``content`` fills, in ``room``."""
    rows, rounds = room.clusters, room.rounds
    parameters = content.parameters
    n, threshold, exit_ = (parameters.rounds, parameters.refusal_threshold,
                           parameters.exit_benchmark)
    count = len(content.clusters)
    labels = [cell_value(label) for label in content.rounds]
    labels += [""] * (rounds - len(labels))
    in_use = [number if label != "" else 0 for number, label in enumerate(labels, start=1)]
    last = max(in_use, default=0)
    pca = np.full((rows, rounds), np.nan)
    refusal = np.full((rows, rounds), np.nan)
    if count and len(content.rounds):
        pca[:count, :len(content.rounds)] = content.pca
        refusal[:count, :len(content.rounds)] = content.refusal

    counts, averages, used = [], [], []
    for index in range(rounds):
        column = pca[:, index]
        present = column[~np.isnan(column)]
        counts.append(len(present))
        average: object = excel_round(float(np.mean(present)), 9) if len(present) else ""
        averages.append(average)
        override = content.overrides.get(index)
        used.append(override if override is not None else average)

    runs = np.zeros((rows, rounds), dtype=np.int64)
    on_list = np.zeros((rows, rounds), dtype=np.int64)
    below = np.zeros(rows, dtype=np.int64)
    high = np.zeros(rows, dtype=np.int64)
    good = np.zeros(rows, dtype=np.int64)
    listed = np.zeros(rows, dtype=np.int64)
    for index in range(rounds):
        if in_use[index]:
            coverage, refused = pca[:, index], refusal[:, index]
            bench = used[index]
            with np.errstate(invalid="ignore"):
                is_below = (~np.isnan(coverage) & (coverage < bench)
                            if isinstance(bench, float | int) else np.zeros(rows, dtype=bool))
                is_high = ~np.isnan(refused) & (refused > threshold)
                is_good = ~np.isnan(coverage) & (coverage > exit_)
            below = np.where(is_below, below + 1, 0)
            high = np.where(is_high, high + 1, 0)
            good = np.where(is_good, good + 1, 0)
            enters = (below >= n) | (high >= n)
            if index == 0:
                listed = np.where(enters, 1, 0)
            else:
                stays = enters | ((listed > 0) & (good < n))
                listed = np.where(stays, np.where(listed > 0, listed, index + 1),
                                  -np.abs(listed))
        runs[:, index] = below + RUN_BASE * high + RUN_BASE * RUN_BASE * good
        on_list[:, index] = listed

    codes = [str(_shown(value)) for value in content.clusters["cluster_code"]] + \
        [""] * (rows - count)
    district_names = [_shown(value) for value in content.clusters["district"]] + \
        [""] * (rows - count)
    status = np.full((rows, rounds), "", dtype=object)
    for index in range(rounds):
        if not in_use[index]:
            continue
        column = np.where(on_list[:, index] > 0, LOW,
                          np.where(runs[:, index] % RUN_BASE > 0, WATCH,
                                   np.where(~np.isnan(pca[:, index]), ON_TRACK, NO_DATA)))
        status[:, index] = column
    status[[code == "" for code in codes], :] = ""

    clusters = content.clusters
    provinces = [_shown(value) for value in clusters["province"]] + [""] * (rows - count)
    names = [_shown(value) for value in clusters["cluster_name"]] + [""] * (rows - count)
    current = [_current_row(row, provinces[row], district_names[row], codes[row], names[row],
                            status, runs, on_list, pca, refusal, labels, in_use, last,
                            (n, threshold, exit_))
               for row in range(rows)]

    running, keys, seen, total = [], [], set(), 0
    for row in range(rows):
        key = f"{provinces[row]}|{district_names[row]}"
        if district_names[row] != "" and key.casefold() not in seen:
            seen.add(key.casefold())
            total += 1
        running.append(total)
        keys.append(key)
    first_of = {}
    for row, number in enumerate(running):
        first_of.setdefault(number, row)
    order = list(reversed(STATUS_LABELS))
    dashboard = []
    for number in range(1, DASHBOARD_DISTRICTS + 1):
        row = first_of.get(number) if number > 0 else None
        if row is None:
            dashboard.append(["", "", "", "", "", "", "", ""])
            continue
        province, district = provinces[row], district_names[row]
        mine = [line[4] for line in current
                if str(line[0]).casefold() == str(province).casefold()
                and str(line[1]).casefold() == str(district).casefold()]
        clusters_here = sum(1 for value in mine if value != "")
        tally = [sum(1 for value in mine if value == label) for label in order]
        share: object = excel_round(100 * tally[0] / clusters_here, 1) if clusters_here else ""
        dashboard.append([province, district, clusters_here, *tally, share])
    statuses = [line[4] for line in current]
    region_total = sum(1 for value in statuses if value != "")
    region_tally = [statuses.count(label) for label in order]
    region = [region_total, *region_tally,
              excel_round(100 * region_tally[0] / region_total, 1) if region_total else ""]
    by_round = []
    for index in range(rounds):
        label = labels[index]
        column = [value for value in status[:, index]]
        counted: list[object] = ([column.count(status_label) for status_label in order]
                                 if label != "" else ["", "", "", ""])
        by_round.append([label, averages[index], used[index], *counted])
    title = "(no round yet)" if last == 0 else label_title(content.rounds[last - 1])
    return DataBookValues(labels, in_use, last, counts, averages, used, runs, on_list, status,
                          codes, district_names, current, running, keys, dashboard, region,
                          by_round, title)


def _current_row(row: int, province: object, district: object, code: str, name: object,
                 status: np.ndarray, runs: np.ndarray, on_list: np.ndarray, pca: np.ndarray,
                 refusal: np.ndarray, labels: list[object], in_use: list[int], last: int,
                 parameters: tuple[int, float, float]) -> list[object]:
    """One row of the Current sheet, column by column, as its formulas compute it."""
    n, threshold, exit_ = parameters
    packed = int(runs[row, -1])
    below, high, good = (packed % RUN_BASE, (packed // RUN_BASE) % RUN_BASE,
                         packed // (RUN_BASE * RUN_BASE))
    listed = int(on_list[row, -1])
    state = "" if code == "" or last == 0 else status[row, last - 1]
    before = int(on_list[row, last - 2]) if last > 1 else 0
    refusal_text = Reason.REFUSAL.format(threshold=number_text(threshold), run=high)
    below_text = Reason.BELOW.format(run=below)
    if state == WATCH:
        first = below_text
    elif state == NO_DATA:
        first = Reason.NO_DATA
    elif state == ON_TRACK and before > 0 and listed <= 0:
        first = Reason.LEFT.format(run=good, exit=number_text(exit_))
    else:
        first = ""
    if state == "":
        reasons = ""
    elif state == LOW:
        if below >= n and high >= n:
            reasons = below_text + REASON_SEPARATOR + refusal_text
        elif below >= n:
            reasons = below_text
        elif high >= n:
            reasons = refusal_text
        else:
            reasons = Reason.NOT_YET.format(rounds=n, exit=number_text(exit_))
    else:
        reasons = first + ((("" if first == "" else REASON_SEPARATOR) + refusal_text)
                           if high > 0 else "")
    entered = "" if state == "" or listed == 0 else labels[abs(listed) - 1]
    on_list_rounds: object = "" if state == "" else (
        sum(1 for number in in_use if number >= listed) if listed > 0 else 0)

    def at_last(grid: np.ndarray) -> object:
        if code == "" or last == 0:
            return ""
        value = grid[row, last - 1]
        return "" if math.isnan(value) else float(value)

    return [province, district, code, name, state, reasons, entered, on_list_rounds,
            at_last(pca), at_last(refusal), before, first, below, high, good]
