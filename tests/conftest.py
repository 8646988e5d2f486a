"""Shared test helpers.

Tests that need LibreOffice or a display skip on a laptop without them, but fail when CI is
set: in CI every test runs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

IN_CI = bool(os.environ.get("CI"))

#: The Windows installer build, shared by its tests once per session.
pytest_plugins = ["installer_support"]


def require_program(name: str) -> str:
    """The path of a program the test needs; skip without it, or fail in CI."""
    path = shutil.which(name)
    if path is None:
        message = f"'{name}' is not installed"
        if IN_CI:
            pytest.fail(f"{message}, and CI must run every test (see .ci/run)")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def sample_region():
    from clusterbook.sample.region import sample_region as build

    return build()


@pytest.fixture(scope="session")
def sample_round_csv(tmp_path_factory, sample_region) -> Path:
    path = tmp_path_factory.mktemp("sample") / "round_data.csv"
    sample_region.rounds.to_csv(path, index=False)
    return path
