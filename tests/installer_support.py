"""Shared pieces of the installer tests: the real build, once per test session.

The payload (real embeddable CPython and real Windows wheels, pinned in the manifest) is built
from the download cache ``installer/build/cache`` and never downloaded by a test:
``python installer/build.py fetch`` fills the cache (``.ci/run`` does, before the tests).
Without a filled cache the tests skip on a laptop and fail in CI. Compiling the full installer
takes minutes, so it runs in CI, or locally with ``CLUSTERBOOK_FULL_INSTALLER=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clusterbook_installer import BuildError, manifest
from clusterbook_installer.cli import BuildResult, build
from clusterbook_installer.fetch import cached_wheels, python_files
from conftest import IN_CI

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "installer" / "build" / "cache"
FULL = IN_CI or os.environ.get("CLUSTERBOOK_FULL_INSTALLER") == "1"


def require_filled_cache() -> Path:
    """The download cache, every pinned piece in it; skip without them, or fail in CI."""
    pinned = manifest.load()
    try:
        python_files(pinned.python, CACHE, offline=True)
        cached_wheels(pinned, CACHE, offline=True)
    except BuildError as error:
        message = (f"the Windows pieces are not all in {CACHE}, and tests never download: "
                   f"'python installer/build.py fetch' fills it.\n{error}")
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return CACHE


def _build(out: Path, *, payload_only: bool) -> BuildResult:
    cache = require_filled_cache()
    return build(out=out, cache=cache, offline=True, payload_only=payload_only,
                 log=lambda _text: None)


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
