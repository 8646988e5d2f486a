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
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

IN_CI = bool(os.environ.get("CI"))

# No test reaches the package index: pip, whether a test or the code under test runs it, finds
# packages only where it is told to (the installer tests' download cache).
os.environ["PIP_NO_INDEX"] = "1"

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


@dataclass(frozen=True)
class DemoRun:
    """What `clusterbook demo` wrote, and what it said."""

    folder: Path
    stdout: str


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """`clusterbook demo`, run once per test session in a process of its own as a user runs
    it. Tests share its folder: they read it, and copy it before changing anything."""
    import clusterbook

    folder = tmp_path_factory.mktemp("demo") / "clusterbook-demo"
    env = {**os.environ, "PYTHONPATH": str(Path(clusterbook.__file__).parents[1])}
    result = subprocess.run([sys.executable, "-m", "clusterbook", "demo", "--out", str(folder)],
                            capture_output=True, text=True, env=env, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return DemoRun(folder, result.stdout)


@pytest.fixture(scope="session")
def recalculated_templates(tmp_path_factory) -> dict[Path, Path]:
    """Every shipped template (workbooks/) and its copy recalculated by LibreOffice, all in
    one start."""
    from cached_values import recalculate_all
    from clusterbook.templates import TEMPLATES, template_path

    program = require_program("soffice")
    return recalculate_all(program, [template_path(item.name) for item in TEMPLATES],
                           tmp_path_factory.mktemp("templates-recalculated"))


@pytest.fixture(scope="session")
def recalculated_demo(demo_run, tmp_path_factory) -> dict[Path, Path]:
    """Every book of the shared demo that holds a formula (see ``books_to_check``) and its copy
    recalculated by LibreOffice, all in one start."""
    from cached_values import books_to_check, recalculate_all

    program = require_program("soffice")
    return recalculate_all(program, books_to_check(demo_run.folder),
                           tmp_path_factory.mktemp("demo-recalculated"))


#: Session fixtures that take long to make, by the group of the tests that use them: under
#: pytest-xdist those tests run in one worker, so each is made once per run.
SHARED_FIXTURES = {"full_build": "installer", "payload_build": "installer",
                   "demo_run": "demo", "recalculated_demo": "demo"}
#: The groups that take longest, in the order they start.
FIRST_GROUPS = ("installer", "demo")
#: Marks of tests that take seconds each: their files start before the rest.
SLOW_MARKS = ("slow", "libreoffice", "wine")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup`` (pyproject's addopts), each test file is one unit of work for
    a worker, and so are the tests sharing a fixture of ``SHARED_FIXTURES``. The longest units
    start first (the shared fixtures', then files with slow tests), so that no worker is left
    with a long one at the end while the other has finished."""
    if not getattr(config.option, "loadgroup", False):  # what a worker under loadgroup sees
        return
    groups: dict[str, str] = {}
    slow: set[str] = set()
    for item in items:
        shared = sorted({SHARED_FIXTURES[name] for name in item.fixturenames
                         if name in SHARED_FIXTURES})
        group = "+".join(shared) or item.nodeid.split("::")[0]
        groups[item.nodeid] = group
        item.add_marker(pytest.mark.xdist_group(group))
        if any(item.get_closest_marker(mark) for mark in SLOW_MARKS):
            slow.add(group)

    def order(item: pytest.Item) -> int:
        group = groups[item.nodeid]
        if group in FIRST_GROUPS:
            return FIRST_GROUPS.index(group)
        return len(FIRST_GROUPS) + (group not in slow)

    items.sort(key=order)
