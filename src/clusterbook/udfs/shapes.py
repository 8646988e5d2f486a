"""Excel-shaped values in and out, for every ClusterBook worksheet function.

On Windows, xlwings hands a function each argument the way Excel holds it: a float for every
number, None for an empty or error cell, a datetime for a date, str for text, bool for
TRUE/FALSE; a one-row or one-column range as a flat list, a bigger range as a list of rows.
This module turns such values into NumPy arrays and checked parameters, and raises an
:class:`InputError` whose sentence starts with the argument's name, so that the cell shows
what to fix ("refusals, value 4: 'abc' is not a number.").
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from clusterbook.domain.errors import InputError, Location
from clusterbook.domain.rule_parameters import (
    DEFAULT_PARAMETERS,
    FEWEST_ROUNDS,
    PERCENTS,
    RuleParameters,
)
from clusterbook.domain.table import fractions_as_percents, holds_fractions
from clusterbook.domain.values import clean_text, is_blank, to_percent_parts
from clusterbook.forms.cells import parse_ref, split_sheet_ref

#: The type hint of every worksheet function's arguments and result. xlwings turns a type
#: hint into a converter; ``Any`` is its default conversion, which accepts every shape.
#: (A hint such as ``str | None`` would make xlwings look for a converter that does not
#: exist.)
Cell = Any

#: Types NumPy turns into floats the way Excel means them (None becomes NaN).
_PLAIN_NUMBERS: Final = frozenset({float, int, type(None)})


def problem(where: str, text: str) -> InputError:
    """An error whose message reads '<where>: <text>.', e.g. 'pca: 12 values, ...'."""
    return InputError([(Location(cell=where), text)])


def rows_of(value: Cell, name: str) -> list[list[Any]]:
    """Any Excel-shaped value as a rectangular list of rows.

    A single cell is one row of one value; a flat list (a one-row or one-column range) is
    one row; a list of lists is taken as it is.
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, list | tuple):
        return [[value]]
    if not value:
        return [[None]]
    kinds = set(map(type, value))  # one C-level pass, however many rows
    if not kinds & {list, tuple}:
        return [list(value)]
    if not kinds <= {list, tuple}:
        raise problem(name, "mixes single values and rows; give a range of cells")
    widths = set(map(len, value))
    if len(widths) != 1 or 0 in widths:
        raise problem(name, "has rows of different lengths; give a rectangular range")
    return value if kinds == {list} and isinstance(value, list) else [list(r) for r in value]


def line_of(value: Cell, name: str) -> list[Any]:
    """The cells of a one-row or one-column argument (or of a single cell), in order."""
    rows = rows_of(value, name)
    if len(rows) == 1:
        return rows[0]
    if len(rows[0]) == 1:
        return [row[0] for row in rows]
    raise problem(name, f"is {len(rows)} rows by {len(rows[0])} columns; give one row or "
                        f"one column")


@dataclass(frozen=True)
class Numbers:
    """Numbers read from an argument, NaN where a cell was empty, and where each came from.

    ``row_numbers`` maps the rows of ``values`` to rows of the argument (1-based); ``line``
    says the argument is one row or column, so positions read 'value 4' rather than
    'row 1, column 4'.
    """

    values: np.ndarray
    name: str
    typed_percent: bool = False
    row_numbers: Sequence[int] | None = None
    line: bool = False

    def where(self, row: int, column: int) -> str:
        """Where a value of ``values`` sits in the argument, in words."""
        number = self.row_numbers[row] if self.row_numbers is not None else row + 1
        return position(self.name, number, column + 1, line=self.line,
                        single=self.values.size == 1)


def position(name: str, row: int, column: int, *, line: bool, single: bool = False) -> str:
    """Where a cell sits in an argument, in words (row and column 1-based): 'pca' for a single
    cell, 'pca, value 4' in a row or column (whichever way it runs), else
    'pca_table, row 2, column 4'."""
    if line:
        return name if single else f"{name}, value {column}"
    return f"{name}, row {row}, column {column}"


def where_in(rows: Sequence[Sequence[Any]], name: str, row: int, column: int) -> str:
    """Where cell (row, column) (0-based) of an argument's rows sits, in words; a one-row or
    one-column argument is a line of values."""
    height, width = len(rows), len(rows[0]) if rows else 0
    if height == 1 or width == 1:
        return position(name, row + 1, (column if height == 1 else row) + 1, line=True,
                        single=height * width == 1)
    return position(name, row + 1, column + 1, line=False)


def read_numbers(rows: Sequence[Sequence[Any]], name: str, *,
                 row_numbers: Sequence[int] | None = None, line: bool = False) -> Numbers:
    """Numbers from rows of cells: floats as they are, empty and error cells as NaN, and
    numbers typed as text ('93%', ' 95 ', Eastern Arabic digits) read as people mean them.

    Raises InputError naming the first cell that holds no number (text, a date, TRUE).
    """
    if not rows:
        return Numbers(np.empty((0, 0)), name, row_numbers=row_numbers, line=line)
    kinds = set(map(type, itertools.chain.from_iterable(rows)))
    if str in kinds and kinds <= _PLAIN_NUMBERS | {str}:
        # Formulas that show nothing give '': as empty as an empty cell.
        rows = [row if "" not in row else [None if cell == "" else cell for cell in row]
                for row in rows]
        kinds = set(map(type, itertools.chain.from_iterable(rows)))
    if kinds <= _PLAIN_NUMBERS:
        # The usual case, left to NumPy: floats, and None for empty cells (read as NaN).
        return Numbers(np.array(rows, dtype=float), name, row_numbers=row_numbers, line=line)
    values = np.full((len(rows), len(rows[0])), np.nan)
    where = Numbers(values, name, row_numbers=row_numbers, line=line).where
    typed_percent, problems = False, []
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            try:
                number, percent = to_percent_parts(cell)
            except ValueError as reason:
                problems.append((where(r, c), f"'{clean_text(cell)}' {reason}"))
                continue
            typed_percent = typed_percent or percent
            if number is not None:
                values[r, c] = number
    if problems:
        raise first_problem(problems)
    return Numbers(values, name, typed_percent, row_numbers, line)


def first_problem(problems: Sequence[tuple[str, str]]) -> InputError:
    """One short error for a cell: the first problem, and how many more there are."""
    where, text = problems[0]
    more = len(problems) - 1
    if more > 0:
        text += f" (and {more} more cell{'s' if more != 1 else ''} like it)"
    return problem(where, text)


def line_numbers(value: Cell, name: str) -> Numbers:
    """Numbers of a one-row or one-column argument (a single cell is a line of one)."""
    return read_numbers([line_of(value, name)], name, line=True)


def range_numbers(value: Cell, name: str) -> Numbers:
    """Numbers of an argument of any shape; a one-row or one-column range (which xlwings
    passes as a flat list, whichever way it runs) is a line."""
    rows = rows_of(value, name)
    return read_numbers(rows, name, line=len(rows) == 1)


def as_percents(*arguments: Numbers) -> list[np.ndarray]:
    """The arguments' values as percents from 0 to 100, the arguments read together.

    Following the spec, values are fractions (a cell formatted as %) when every value lies
    in 0..1 and none was typed with a percent sign. Raises InputError for a value outside
    0 to 100.
    """
    present = [argument.values.ravel() for argument in arguments]
    typed = any(argument.typed_percent for argument in arguments)
    fractions = holds_fractions(np.concatenate(present) if present else np.empty(0), typed)
    result = []
    for argument in arguments:
        values = fractions_as_percents(argument.values) if fractions else argument.values
        with np.errstate(invalid="ignore"):
            outside = np.argwhere((values < PERCENTS.low) | (values > PERCENTS.high))
        if len(outside):
            problems = [(argument.where(int(r), int(c)),
                         f"{argument.values[r, c]:g} is outside {PERCENTS}") for r, c in outside]
            raise first_problem(problems)
        result.append(values)
    return result


def labels_of(value: Cell, name: str, count: int) -> list[str]:
    """A row of labels (round names) as text, '' where a cell is empty; ``count`` long."""
    if value is None:
        return [""] * count
    cells = line_of(value, name)
    if len(cells) != count:
        raise problem(name, f"has {len(cells)} cells but the tables have {count} columns; "
                            f"give the header row of the same columns")
    return [clean_text(cell) for cell in cells]


def per_column(value: Cell, name: str, count: int) -> np.ndarray | None:
    """One percent per column from one number or a row of ``count`` numbers (NaN where a
    cell is empty), or None when the argument was left out."""
    if is_blank(value):
        return None
    numbers = line_numbers(value, name)
    width = numbers.values.shape[1]
    if width not in (1, count):
        raise problem(name, f"has {width} values; give one number or {count}, one per "
                            f"round column")
    (percents,) = as_percents(numbers)
    return np.broadcast_to(percents[0], (count,)).copy()


def _number_parameter(value: Cell, name: str) -> tuple[float | None, bool]:
    try:
        return to_percent_parts(value)
    except ValueError as reason:
        raise problem(name, f"'{clean_text(value)}' {reason}") from None


def percent_parameter(value: Cell, name: str, default: float) -> float:
    """A percent parameter: 10, '10%' or 0.1 (a cell formatted as %) all mean 10 %.

    A number strictly between 0 and 1 is read as a fraction; left out or empty gives
    ``default``.
    """
    number, typed_percent = _number_parameter(value, name)
    if number is None:
        return default
    if not typed_percent and 0 < number < 1:
        number = float(fractions_as_percents(np.asarray(number)))
    if number not in PERCENTS:
        raise problem(name, f"{number:g} is outside {PERCENTS}")
    return number


def rule_parameters(rounds: Cell, refusal_threshold: Cell,
                    exit_benchmark: Cell) -> RuleParameters:
    """The framework's parameters from cells; empty cells take the framework's defaults."""
    defaults = DEFAULT_PARAMETERS
    count, _ = _number_parameter(rounds, "rounds")
    if count is not None and (count < FEWEST_ROUNDS or not count.is_integer()):
        raise problem("rounds", f"{count:g} is not a whole number of {FEWEST_ROUNDS} or more")
    return RuleParameters(
        defaults.rounds if count is None else int(count),
        percent_parameter(refusal_threshold, "refusal_threshold", defaults.refusal_threshold),
        percent_parameter(exit_benchmark, "exit_benchmark", defaults.exit_benchmark))


def filled_rows(rows: Sequence[Sequence[Any]]) -> list[int]:
    """Positions of the rows that hold at least one non-empty cell (None and '' are empty)."""
    width = len(rows[0]) if rows else 0
    filled = []
    for index, row in enumerate(rows):
        # Most filled rows start with a number, most empty ones are all None or all '' (which
        # C counts fastest, by identity); the others are counted in full.
        first = row[0]
        if type(first) is float:
            filled.append(index)
        elif (first is None and row.count(None) == width) or (
                first == "" and row.count("") == width):
            continue
        elif row.count(None) + row.count("") != width:
            filled.append(index)
    return filled


def used_width(rows: Sequence[Sequence[Any]], positions: Sequence[int]) -> int:
    """How many leading columns of the given rows hold anything (trailing empty columns
    are not used). Most rows end where the previous one did, so each costs one C-level
    count."""
    width, used = (len(rows[0]) if rows else 0), 0
    for position in positions:
        tail = rows[position][used:]
        if used == width or tail.count(None) + tail.count("") == width - used:
            continue
        row = rows[position]
        used = max((index for index in range(used, width) if not is_blank(row[index])),
                   default=used - 1) + 1
    return used


def used_rows(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows without the empty ones at the end (at least the first row is kept): a form's
    block holds hundreds of entry rows, a few of them filled."""
    width = len(rows[0]) if rows else 0
    end = len(rows)
    while end > 1:
        row = rows[end - 1]
        if row.count(None) + row.count("") != width:
            break
        end -= 1
    return rows if end == len(rows) else rows[:end]


@dataclass(frozen=True)
class Block:
    """A block of cells and where it sits: the sheet and its top-left (row, column), known
    when Excel passed the range itself; ``rows`` is None when the argument is no range (a
    deleted sheet makes it #REF!)."""

    rows: list[list[Any]] | None
    sheet: str | None = None
    origin: tuple[int, int] | None = None


def block_of(value: Cell, name: str) -> Block:
    """A block from a range argument: an xlwings Range (an argument declared as a range, which
    xlwings passes as the Range itself) gives its values, sheet and top-left cell; values
    (a list of rows, as Python callers pass them) give the rows alone. Trailing empty rows
    are dropped."""
    if value is None:
        return Block(None)
    if hasattr(value, "get_address") and hasattr(value, "options"):
        # An xlwings Range: one COM call for the values, one for the address.
        rows = rows_of(value.options(ndim=2).value, name)
        sheet, reference = split_sheet_ref(value.get_address(external=True))
        origin = parse_ref(reference.split(":")[0])
        return Block(used_rows(rows), sheet or None, origin)
    return Block(used_rows(rows_of(value, name)))


BLANK: Final = ""
