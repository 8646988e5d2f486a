"""Shared test helpers.

Tests that need LibreOffice or a display skip on a laptop without them, but fail when CI is
set: in CI every test runs.

Hypothesis runs a property's examples under one of two profiles: ``dev`` on a developer's
machine (200 random examples, new ones each run) and ``ci`` when CI is set (50 examples,
derandomized, so every CI run tries the same ones and a failure there repeats). A property
that sets its own count keeps it in both: each of its examples is expensive.
``HYPOTHESIS_PROFILE`` picks one by hand.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

IN_CI = bool(os.environ.get("CI"))

settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("ci", max_examples=50, deadline=None, derandomize=True,
                          print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if IN_CI else "dev"))

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
