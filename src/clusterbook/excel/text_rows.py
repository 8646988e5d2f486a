"""Large text files (CSV, worksheet XML) assembled row by row from a few short texts.

A row is a sequence of pieces; each piece is a code into a small table of texts (the distinct
values of a column, already formatted). Rows are laid out in blocks at full width with NumPy
and the padding is squeezed out, so the work per row is a few array copies, not Python calls.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Final

import numpy as np
import pandas as pd

#: A piece of every row: the code of each row, and the table of texts the codes index.
Piece = tuple[np.ndarray, np.ndarray]

_BLOCK_BYTES: Final = 1 << 21
_THREADS: Final = 2


def text_table(texts: Sequence[bytes]) -> np.ndarray:
    """Texts as rows of bytes padded with zeros (texts must hold no zero byte)."""
    width = max((len(text) for text in texts), default=0)
    return np.frombuffer(b"".join(text.ljust(width, b"\0") for text in texts),
                         dtype=np.uint8).reshape(len(texts), width)


def joined_rows(pieces: Sequence[Piece], rows: int) -> Iterator[np.ndarray]:
    """The rows' bytes, block after block, in order."""
    width = sum(texts.shape[1] for _, texts in pieces)
    block_rows = max(1, _BLOCK_BYTES // max(width, 1))

    def render(start: int) -> np.ndarray:
        # Blocks small enough to stay in the processor's cache.
        stop = min(start + block_rows, rows)
        block = np.empty((stop - start, width), dtype=np.uint8)
        at = 0
        for codes, texts in pieces:
            block[:, at:at + texts.shape[1]] = texts[codes[start:stop]]
            at += texts.shape[1]
        squeezed: np.ndarray = block[block != 0]
        return squeezed

    starts = range(0, rows, block_rows)
    # NumPy lets go of the interpreter while it copies, so blocks render side by side; a few
    # at a time, handed out in order.
    with ThreadPoolExecutor(_THREADS) as pool:
        for window in range(0, len(starts), 4 * _THREADS):
            yield from pool.map(render, starts[window:window + 4 * _THREADS])


def distinct_values(column: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Codes (0..k-1) into a column's distinct values; missing values are the value None."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int32)
        values: list[object] = list(column.cat.categories)
    elif pd.api.types.is_bool_dtype(column.dtype) and not column.hasnans:
        return column.to_numpy(dtype=np.int32), [False, True]
    else:
        found, uniques = pd.factorize(column, use_na_sentinel=True)
        codes = found.astype(np.int32)
        values = np.asarray(uniques, dtype=object).tolist()
    if (codes < 0).any():
        codes[codes < 0] = len(values)
        values.append(None)
    return codes, values
