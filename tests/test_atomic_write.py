"""Outputs are written whole or not at all, with the permissions a new file would have."""

from __future__ import annotations

import stat
import sys

import pytest

from clusterbook.excel.write import atomic_path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_new_file_gets_the_usual_permissions_and_a_replaced_one_keeps_its_own(tmp_path):
    plain = tmp_path / "plain.bin"
    plain.write_bytes(b"made the ordinary way")
    fresh = tmp_path / "fresh.xlsx"
    with atomic_path(fresh) as temporary:
        temporary.write_bytes(b"book")
    assert stat.S_IMODE(fresh.stat().st_mode) == stat.S_IMODE(plain.stat().st_mode)

    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"old")
    kept.chmod(0o640)
    with atomic_path(kept) as temporary:
        temporary.write_bytes(b"new")
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    assert kept.read_bytes() == b"new"


def test_an_error_leaves_the_previous_file_and_no_leftovers(tmp_path):
    book = tmp_path / "book.xlsx"
    book.write_bytes(b"previous")
    with pytest.raises(RuntimeError), atomic_path(book) as temporary:
        temporary.write_bytes(b"half")
        raise RuntimeError("interrupted")
    assert book.read_bytes() == b"previous"
    assert [path.name for path in tmp_path.iterdir()] == ["book.xlsx"]
