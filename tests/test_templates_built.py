"""The built templates in workbooks/ are current, packaged, and written by the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from clusterbook.cli import main
from clusterbook.templates import TEMPLATES, build_templates, template_path

REPO = Path(__file__).resolve().parent.parent
WORKBOOKS = REPO / "workbooks"


def test_workbooks_folder_holds_a_fresh_build_of_every_template(tmp_path):
    fresh = build_templates(tmp_path)
    stale = [path.name for path in fresh
             if not (WORKBOOKS / path.name).is_file()
             or (WORKBOOKS / path.name).read_bytes() != path.read_bytes()]
    assert not stale, (f"workbooks/ is out of date for {', '.join(stale)}: run "
                       f"'clusterbook templates build' and commit the result")


def test_the_staleness_check_sees_a_changed_template(tmp_path):
    """A one-character change in a form gives different bytes, so the check above bites."""
    from dataclasses import replace

    from clusterbook.forms import MICROPLAN
    from clusterbook.templates import write_form

    original = write_form(tmp_path / "a.xlsx", MICROPLAN)
    changed = write_form(tmp_path / "b.xlsx", replace(MICROPLAN, version="2025.2"))
    assert original.read_bytes() != changed.read_bytes()


def test_templates_are_found_from_the_repository():
    for item in TEMPLATES:
        assert template_path(item.name) == WORKBOOKS / item.file_name


def test_cli_builds_every_template(tmp_path, capsys):
    assert main(["templates", "build", "--out", str(tmp_path)]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        item.file_name for item in TEMPLATES)
    assert "Wrote" in capsys.readouterr().out


def test_cli_saves_the_shipped_templates_without_loading_pandas(tmp_path):
    """What the Windows installer runs: a copy of each shipped file, in a fresh interpreter
    that never imports numpy (the installer's Python may not load it yet)."""
    probe = ("import sys; from clusterbook.cli import main; "
             f"code = main(['templates', 'save', '--out', {str(tmp_path)!r}]); "
             "sys.exit(code or ('numpy' in sys.modules and 'numpy was imported'))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")}, check=False)
    assert result.returncode == 0, result.stderr
    for item in TEMPLATES:
        assert (tmp_path / item.file_name).read_bytes() == \
            (WORKBOOKS / item.file_name).read_bytes()


def test_saving_a_template_builds_it_when_the_shipped_file_is_missing(tmp_path, monkeypatch):
    from clusterbook.templates import catalog, save_template

    monkeypatch.setattr(catalog, "workbooks_folders", lambda: [tmp_path / "nowhere"])
    saved = save_template("lpc-action-plan", tmp_path / "plan.xlsx")
    assert zipfile.is_zipfile(saved)
    assert saved.read_bytes() == (WORKBOOKS / "lpc-action-plan.xlsx").read_bytes()


@pytest.mark.slow
def test_the_wheel_carries_the_templates(tmp_path):
    pytest.importorskip("hatchling")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("clusterbook-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for item in TEMPLATES:
        assert f"clusterbook/workbooks/{item.file_name}" in names
