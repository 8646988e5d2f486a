"""The round table: one row per cluster per round, as people actually type it.

Headers are matched without regard to case, spaces and punctuation, with the aliases in
:data:`ALIASES`. Values are read as the numbers they show. Every problem is collected with its
file, sheet and cell (or row and column) and raised together as one :class:`InputError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from clusterbook.domain.errors import InputError, Location
from clusterbook.domain.rule_parameters import PERCENTS
from clusterbook.domain.values import clean_text, to_percent_parts

REQUIRED: Final = ("cluster_code", "round", "pca_coverage", "refusal_rate")
#: Where a cluster is: optional in the input (a national list may have codes only), always
#: in the prepared table (blank when not given).
PLACE: Final = ("province", "district")
OPTIONAL: Final = (*PLACE, "cluster_name", "round_date", "children_surveyed", "missed_children",
                   "refusals")
PERCENT_COLUMNS: Final = ("pca_coverage", "refusal_rate")
COUNT_COLUMNS: Final = ("children_surveyed", "missed_children", "refusals")

#: What each column is called in messages.
LABELS: Final = {
    "province": "Province",
    "district": "District",
    "cluster_code": "Cluster code",
    "cluster_name": "Cluster name",
    "round": "Round",
    "round_date": "Round date",
    "pca_coverage": "PCA coverage",
    "refusal_rate": "Refusal rate",
    "children_surveyed": "Children surveyed",
    "missed_children": "Missed children",
    "refusals": "Refusals",
}

#: Header spellings people use, after dropping case, spaces and punctuation.
ALIASES: Final = {
    "province": ("province", "prov", "provincename"),
    "district": ("district", "dist", "districtname"),
    "cluster_code": ("clustercode", "cluster", "clusterid", "clusterno", "clusternumber", "code"),
    "cluster_name": ("clustername", "name", "clusterlabel"),
    "round": ("round", "campaign", "roundname", "campaignround", "roundlabel", "campaignname"),
    "round_date": ("rounddate", "date", "campaigndate", "startdate", "campaignstart",
                   "campaignstartdate", "roundstart"),
    "pca_coverage": ("pcacoverage", "pca", "pcacov", "coverage", "pcapercent", "pcapct",
                     "postcampaignassessment", "postcampaignassessmentcoverage", "pcacoverage%"),
    "refusal_rate": ("refusalrate", "refusal", "refusalpercent", "refusalpct", "refusalrates",
                     "refusalratepercent"),
    "children_surveyed": ("childrensurveyed", "surveyed", "childrenassessed", "samplesize",
                          "children"),
    "missed_children": ("missedchildren", "missed", "totalmissed", "missedchildrencount"),
    "refusals": ("refusals", "refusalcount", "refusalsno", "numberofrefusals",
                 "childrenrefused"),
}
_BY_ALIAS: Final = {alias: key for key, names in ALIASES.items() for alias in names}
_NOT_ALNUM: Final = re.compile(r"[\W_]+", re.UNICODE)
_PERIOD_SEARCH: Final = 10_000


def header_key(header: object) -> str:
    """A header reduced to lower-case letters and digits: 'Refusal rate (%)' -> 'refusalrate'."""
    return _NOT_ALNUM.sub("", str(header).casefold())


def canonical_column(header: object) -> str | None:
    """The canonical column a header means, or None when it means none of ours."""
    return _BY_ALIAS.get(header_key(header))


@dataclass(frozen=True)
class TableSource:
    """Where a table came from, so that problems can be located in the user's own terms.

    ``first_row`` is the file or sheet row of the first data row (a CSV with one header line
    starts at 2); ``row_numbers``, when given, is the row of every data row (blank rows that
    were dropped leave gaps). ``column_letters`` maps each original header to its spreadsheet
    column letter; without it, problems name the row and the header instead of a cell.
    """

    file: str = ""
    sheet: str = ""
    first_row: int = 2
    column_letters: Mapping[str, str] = field(default_factory=dict)
    row_numbers: tuple[int, ...] = ()

    def row_of(self, position: int) -> int:
        """The file or sheet row of a data row."""
        if self.row_numbers:
            return self.row_numbers[position]
        return self.first_row + position

    def locate(self, position: int | None, header: str) -> Location:
        row = None if position is None else self.row_of(position)
        letter = self.column_letters.get(header, "")
        if letter and row is not None:
            return Location(file=self.file, sheet=self.sheet, cell=f"{letter}{row}")
        return Location(file=self.file, sheet=self.sheet, row=row, column=header)


Problem = tuple[Location, str]


def prepare_round_table(frame: pd.DataFrame, source: TableSource | None = None) -> pd.DataFrame:
    """The canonical round table: our column names, trimmed text, percents from 0 to 100.

    Raises InputError listing every problem (missing column, blank key, text where a number
    belongs, value out of range, the same cluster twice in a round).
    """
    source = source or TableSource()
    originals = _match_headers(frame, source)
    problems: list[Problem] = []
    table: dict[str, Any] = {}
    for key, original in originals.items():
        column = frame[original]

        def locate(position: int | None, header: str = str(original)) -> Location:
            return source.locate(position, header)

        if key in PERCENT_COLUMNS:
            table[key] = _percent_column(column, key, locate, problems)
        elif key in COUNT_COLUMNS:
            table[key] = _count_column(column, key, locate, problems)
        elif key == "round" or key == "round_date":
            table[key] = _label_column(column, key, locate, problems, required=key == "round")
        else:
            table[key] = _text_column(column, key, locate, problems,
                                      required=key in ("cluster_code",))
    for key in (*PLACE, "cluster_name"):
        if key not in table:
            table[key] = pd.Categorical.from_codes(
                np.zeros(len(frame), dtype=np.int8), categories=pd.Index([""], dtype=object))
    prepared = pd.DataFrame(table, copy=False)
    if not problems:
        _check_duplicates(prepared, originals, source, problems)
        _check_one_place_per_cluster(prepared, originals, source, problems)
    if problems:
        raise InputError(problems)
    prepared.attrs["prepared"] = True
    return prepared


def _match_headers(frame: pd.DataFrame, source: TableSource) -> dict[str, Hashable]:
    found: dict[str, Hashable] = {}
    clashes: list[Problem] = []
    for header in frame.columns:
        key = canonical_column(header)
        if key is None:
            continue
        if key in found:
            clashes.append((source.locate(None, str(header)),
                            f"columns '{found[key]}' and '{header}' both look like "
                            f"{LABELS[key]}; keep one of them"))
            continue
        found[key] = header
    if "round" not in found and "round_date" in found:
        found["round"] = found["round_date"]  # a 'Date' column names the rounds
    missing = [key for key in REQUIRED if key not in found]
    if missing:
        names = ", ".join(f"'{LABELS[key]}'" + (" (or 'Date')" if key == "round" else "")
                          for key in missing)
        present = ", ".join(f"'{header}'" for header in frame.columns) or "none"
        clashes.append((Location(file=source.file, sheet=source.sheet),
                        f"the table has no {names} column (columns found: {present})"))
    if clashes:
        raise InputError(clashes)
    return found


def _categorical(column: pd.Series, clean: Callable[[object], object]) -> pd.Categorical:
    """The column as a categorical of cleaned values, categories in order of first appearance
    (so that codes number clusters as they come); values equal once cleaned share a code.

    Work is done once per distinct value, not once per row.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        raw_codes = column.cat.codes.to_numpy()
        appearance, used = pd.factorize(raw_codes, use_na_sentinel=False)
        uniques = np.asarray(column.cat.categories, dtype=object)[np.maximum(used, 0)]
        codes = np.where(used[appearance] < 0, -1, appearance) if (used < 0).any() \
            else appearance
    else:
        codes, uniques = _factorize_text(column.to_numpy(dtype=object))
    cleaned = np.asarray([value.strip() if value.__class__ is str else clean(value)
                          for value in uniques], dtype=object)
    merged, categories = pd.factorize(pd.Series(cleaned, dtype=object), use_na_sentinel=True)
    if len(merged) != len(categories) or (merged < 0).any():
        codes = np.where(codes >= 0, merged[codes] if len(merged) else -1, -1)
    dtype = pd.CategoricalDtype(pd.Index(categories, dtype=object))
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _factorize_text(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (-1 for missing) and distinct values of an object column, in order of appearance.

    Round tables come sorted by cluster (or by place), so a column usually holds long runs of
    one value: then only the first value of each run is hashed.
    """
    if len(values) > 1:
        try:
            change = values[1:] != values[:-1]
        except TypeError:  # a value that cannot say whether it equals another (pd.NA)
            change = None
        if change is not None:
            starts = np.flatnonzero(np.concatenate(([True], change)))
            if len(starts) * 4 <= len(values):
                run_codes, found = pd.factorize(values[starts], use_na_sentinel=True)
                lengths = np.diff(np.append(starts, len(values)))
                return np.repeat(run_codes, lengths), np.asarray(found, dtype=object)
            period = _period(values)
            if period:  # rounds repeating cluster after cluster: hash one cycle
                cycle_codes, found = pd.factorize(values[:period], use_na_sentinel=True)
                codes = np.tile(cycle_codes, -(-len(values) // period))[:len(values)]
                return codes, np.asarray(found, dtype=object)
    codes, found = pd.factorize(values, use_na_sentinel=True)
    return codes, np.asarray(found, dtype=object)


def _period(values: np.ndarray) -> int:
    """The length of the cycle the values repeat (R1, R2, ..., R24, R1, ...), or 0."""
    head = values[1:_PERIOD_SEARCH]
    try:
        again = np.flatnonzero(head == values[0])
    except TypeError:
        return 0
    if not len(again):
        return 0
    period = int(again[0]) + 1
    try:
        return period if bool((values[period:] == values[:-period]).all()) else 0
    except TypeError:
        return 0


def _blank_positions(categorical: pd.Categorical) -> np.ndarray:
    categories = np.asarray(categorical.categories, dtype=object)
    codes = np.asarray(categorical.codes)
    blank = codes < 0
    blank_category = categories == ""
    if blank_category.any():
        blank |= blank_category[np.maximum(codes, 0)] & (codes >= 0)
    return np.flatnonzero(blank)


def _text_column(column: pd.Series, key: str, locate: Callable[[int | None], Location],
                 problems: list[Problem], *, required: bool) -> pd.Categorical:
    text = _categorical(column, clean_text)
    if required:
        for position in _blank_positions(text)[:50]:
            problems.append((locate(int(position)), f"{LABELS[key]} is empty"))
    return text


def _round_label(value: object) -> object:
    return value if hasattr(value, "year") else clean_text(value)


def _label_column(column: pd.Series, key: str, locate: Callable[[int | None], Location],
                  problems: list[Problem], *, required: bool) -> pd.Categorical:
    """Round labels stay exactly as given (trimmed text, dates as dates, 3.0 as '3')."""
    labels = _categorical(column, _round_label)
    if required:
        for position in _blank_positions(labels)[:50]:
            problems.append((locate(int(position)), f"{LABELS[key]} is empty"))
    return labels


def _numbers(column: pd.Series, key: str, locate: Callable[[int | None], Location],
             problems: list[Problem]) -> tuple[np.ndarray, bool]:
    """The column's numbers (NaN for blanks) and whether any was typed with a '%' sign.

    Text is parsed once per distinct value; each unreadable value is a located problem.
    """
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column):
        return column.to_numpy(dtype=float, na_value=np.nan), False
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, found = column.cat.codes.to_numpy(), column.cat.categories
    else:
        codes, found = pd.factorize(column, use_na_sentinel=True)
    parsed = np.full(len(found), np.nan)
    typed_percent = False
    for index, value in enumerate(np.asarray(found, dtype=object)):
        try:
            number, percent = to_percent_parts(value)
        except ValueError as reason:
            for position in np.flatnonzero(codes == index)[:50]:
                problems.append((locate(int(position)),
                                 f"{LABELS[key]} '{clean_text(value)}' {reason}"))
            continue
        typed_percent = typed_percent or percent
        parsed[index] = np.nan if number is None else number
    values = np.where(codes >= 0, parsed[codes] if len(parsed) else np.nan, np.nan)
    return values, typed_percent


def _percent_column(column: pd.Series, key: str, locate: Callable[[int | None], Location],
                    problems: list[Problem]) -> np.ndarray:
    """Percent values (:data:`PERCENTS`); a column whose values all lie in 0..1 holds
    fractions."""
    values, typed_percent = _numbers(column, key, locate, problems)
    if holds_fractions(values, typed_percent):
        values = fractions_as_percents(values)
    bad = np.flatnonzero((values < PERCENTS.low) | (values > PERCENTS.high))
    for position in bad[:50]:
        problems.append((locate(int(position)),
                         f"{LABELS[key]} {values[position]:g} is outside {PERCENTS}"))
    if len(bad) > 50:
        problems.append((locate(None), f"{len(bad) - 50} more {LABELS[key]} values are outside"
                         f" {PERCENTS}"))
    return values


def holds_fractions(values: np.ndarray, typed_percent: bool = False) -> bool:
    """True when percent values were given as fractions: every value lies in 0..1 and none
    was typed with a percent sign (the spec's reading of a percent column)."""
    present = values[~np.isnan(values)]
    return bool(len(present)) and not typed_percent and bool(
        present.min() >= 0 and present.max() <= 1)


def fractions_as_percents(values: np.ndarray) -> np.ndarray:
    """Fractions as percents, rounded so that 0.853 reads as 85.3 exactly, as a spreadsheet
    shows it."""
    result: np.ndarray = np.round(values * 100.0, 10)
    return result


def _count_column(column: pd.Series, key: str, locate: Callable[[int | None], Location],
                  problems: list[Problem]) -> np.ndarray:
    values, _ = _numbers(column, key, locate, problems)
    for position in np.flatnonzero(values < 0)[:50]:
        problems.append((locate(int(position)),
                         f"{LABELS[key]} {values[position]:g} is negative"))
    return values


def _check_duplicates(table: pd.DataFrame, originals: Mapping[str, Hashable],
                      source: TableSource, problems: list[Problem]) -> None:
    clusters = np.asarray(table["cluster_code"].cat.codes, dtype=np.int64)
    rounds = np.asarray(table["round"].cat.codes, dtype=np.int64)
    keys = clusters * len(table["round"].cat.categories) + rounds
    counts = np.bincount(keys)
    if counts.max(initial=0) <= 1:
        return
    seen: dict[int, int] = {}
    for position in np.flatnonzero(counts[keys] > 1):
        key = int(keys[position])
        if key not in seen:
            seen[key] = int(position)
            continue
        code = table["cluster_code"].iat[int(position)]
        label = table["round"].iat[int(position)]
        problems.append((source.locate(int(position), str(originals["cluster_code"])),
                         f"cluster {code} has a second row for round {label} "
                         f"(the first is row {source.row_of(seen[key])}); keep one"))
        if len(problems) >= 50:
            return


def _check_one_place_per_cluster(table: pd.DataFrame, originals: Mapping[str, Hashable],
                                 source: TableSource, problems: list[Problem]) -> None:
    codes = np.asarray(table["cluster_code"].cat.codes)  # numbered in order of appearance
    first = first_positions(codes)
    for key in ("district", "province"):
        places = np.asarray(table[key].cat.codes)
        moved = np.flatnonzero(places[first][codes] != places)
        for position in moved[:10]:
            problems.append((source.locate(int(position), str(originals[key])),
                             f"cluster {table['cluster_code'].iat[position]} is listed under "
                             f"{LABELS[key].lower()} '{table[key].iat[position]}' here but "
                             f"under another {LABELS[key].lower()} in other rows"))
        if len(moved):
            return


def first_positions(codes: np.ndarray) -> np.ndarray:
    """Position of the first row of each code, for codes numbered in order of appearance
    (as :func:`prepare_round_table` numbers clusters)."""
    if len(codes) == 0:
        return np.zeros(0, dtype=np.intp)
    running = np.maximum.accumulate(codes)
    return np.flatnonzero(np.diff(running, prepend=-1) > 0)


def is_prepared(frame: pd.DataFrame) -> bool:
    """True when the frame is a prepared round table (from :func:`prepare_round_table`).

    Optional count columns and the round date are only there when the input had them.
    """
    if not frame.attrs.get("prepared") or not all(
            key in frame.columns for key in (*REQUIRED, *PLACE, "cluster_name")):
        return False
    text = (*PLACE, "cluster_code", "cluster_name", "round")
    return all(isinstance(frame[key].dtype, pd.CategoricalDtype) for key in text) and all(
        frame[key].dtype == np.float64 for key in PERCENT_COLUMNS)


def describe_columns() -> list[dict[str, Any]]:
    """The columns of the round table and the headers accepted for each (for docs and help)."""
    return [
        {"column": key, "label": LABELS[key], "required": key in REQUIRED,
         "headers": ", ".join(ALIASES[key])}
        for key in (*REQUIRED, *OPTIONAL)
    ]
