"""clusterbook_setup.py, the script the installed Python runs after the files are copied.

It calls three ClusterBook commands (``excel setup``, ``excel remove``, ``templates save``).
Here they are played by a small stand-in package that keeps their documented contract, so
the script's own work is checked on real files: templates placed, a user's edited template
never overwritten or deleted, the Excel configuration written and removed, failures reported.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETUP_SCRIPT = ROOT / "installer" / "clusterbook_setup.py"

STAND_IN = r'''
import argparse, os, pathlib, sys

parser = argparse.ArgumentParser(prog="clusterbook")
jobs = parser.add_subparsers(dest="job", required=True)
jobs.add_parser("flags")
if not os.environ.get("OLDER_CLUSTERBOOK"):  # an older version has neither command
    excel = jobs.add_parser("excel").add_subparsers(dest="action", required=True)
    setup = excel.add_parser("setup")
    setup.add_argument("--addin", required=True)
    setup.add_argument("--quiet", action="store_true")
    excel.add_parser("remove").add_argument("--quiet", action="store_true")
    templates = jobs.add_parser("templates").add_subparsers(dest="action", required=True)
    templates.add_parser("save").add_argument("--out", required=True)
args = parser.parse_args()

registered = pathlib.Path(os.environ["HOME"]) / "registered-addins.txt"
if args.job == "excel" and os.environ.get("EXCEL_FAILS"):
    sys.exit("Excel is open. Close every Excel window, then set up Excel again.")
if args.job == "excel" and args.action == "setup":
    registered.write_text(args.addin)
elif args.job == "excel":
    registered.unlink()
else:
    out = pathlib.Path(args.out)
    edition = os.environ.get("TEMPLATE_EDITION", "1")
    (out / "Microplan.xlsx").write_bytes(b"blank microplan, edition " + edition.encode())
    (out / "Action plan.xlsx").write_bytes(b"blank action plan")
'''


@pytest.fixture
def machine(tmp_path: Path) -> dict[str, Path]:
    """An install folder holding the setup script, a home folder and a Documents folder."""
    instdir = tmp_path / "Programs" / "ClusterBook"
    instdir.mkdir(parents=True)
    shutil.copy(SETUP_SCRIPT, instdir)
    package = tmp_path / "stand-in" / "clusterbook"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(STAND_IN)
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    return {"instdir": instdir, "home": home, "documents": home / "Documents",
            "pythonpath": package.parent}


def run_setup(machine: dict[str, Path], *args: str,
              **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HOME": str(machine["home"]),
                   "PYTHONPATH": str(machine["pythonpath"]), **env}
    return subprocess.run(
        [sys.executable, str(machine["instdir"] / "clusterbook_setup.py"), *args],
        capture_output=True, text=True, env=environment, check=False)


def install(machine: dict[str, Path], **env: str) -> subprocess.CompletedProcess[str]:
    return run_setup(machine, "install", "--documents", str(machine["documents"]),
                     "--no-compile", **env)


def test_install_sets_up_excel_and_places_the_blank_templates(machine: dict[str, Path]) -> None:
    result = install(machine)
    assert result.returncode == 0, result.stdout + result.stderr
    registered = (machine["home"] / "registered-addins.txt").read_text()
    assert registered == str(machine["instdir"] / "ClusterBook.xlam")  # the one beside it
    folder = machine["documents"] / "ClusterBook templates"
    assert sorted(path.name for path in folder.iterdir()) == ["Action plan.xlsx",
                                                               "Microplan.xlsx"]
    record = json.loads((machine["instdir"] / "install-record.json").read_text())
    assert record["steps"] == {"excel": "done", "templates": "done"}
    assert record["templates"]["created_folder"] is True
    assert set(record["templates"]["files"]) == {str(path) for path in folder.iterdir()}
    log = (machine["instdir"] / "setup.log").read_text()
    assert "Blank template:" in log and "is set up for this user" in log


def test_a_template_the_user_edited_survives_reinstall_and_uninstall(
        machine: dict[str, Path]) -> None:
    assert install(machine).returncode == 0
    folder = machine["documents"] / "ClusterBook templates"
    edited = folder / "Microplan.xlsx"
    edited.write_bytes(b"Kandahar microplan, filled in by the officer")
    own = folder / "My notes.xlsx"
    own.write_bytes(b"the officer's own book")

    upgrade = install(machine, TEMPLATE_EDITION="2")
    assert upgrade.returncode == 0
    assert edited.read_bytes() == b"Kandahar microplan, filled in by the officer"
    assert "Kept your own" in upgrade.stdout

    removal = run_setup(machine, "uninstall")
    assert removal.returncode == 0, removal.stdout + removal.stderr
    assert not (machine["home"] / "registered-addins.txt").exists()
    assert not (folder / "Action plan.xlsx").exists()
    assert edited.read_bytes() == b"Kandahar microplan, filled in by the officer"
    assert own.exists()


def test_an_upgrade_replaces_untouched_blanks_and_uninstall_leaves_no_folder(
        machine: dict[str, Path]) -> None:
    assert install(machine).returncode == 0
    assert install(machine, TEMPLATE_EDITION="2").returncode == 0
    folder = machine["documents"] / "ClusterBook templates"
    assert (folder / "Microplan.xlsx").read_bytes() == b"blank microplan, edition 2"
    assert run_setup(machine, "uninstall").returncode == 0
    assert not folder.exists()
    assert list(machine["documents"].iterdir()) == []


def test_a_failing_excel_step_is_reported_and_the_templates_still_arrive(
        machine: dict[str, Path]) -> None:
    result = install(machine, EXCEL_FAILS="1")
    assert result.returncode == 1
    log = (machine["instdir"] / "setup.log").read_text()
    assert "Excel is open. Close every Excel window" in log
    assert "Not finished: excel" in log
    assert (machine["documents"] / "ClusterBook templates" / "Microplan.xlsx").exists()


def test_with_a_clusterbook_that_lacks_the_commands_the_steps_are_skipped(
        machine: dict[str, Path]) -> None:
    result = install(machine, OLDER_CLUSTERBOOK="1")
    assert result.returncode == 0, result.stdout + result.stderr
    record = json.loads((machine["instdir"] / "install-record.json").read_text())
    assert record["steps"] == {"excel": "unavailable", "templates": "unavailable"}
    assert "is not part of this version: skipped" in result.stdout
    assert list(machine["documents"].iterdir()) == []
    assert run_setup(machine, "uninstall", OLDER_CLUSTERBOOK="1").returncode == 0
    assert list(machine["documents"].iterdir()) == []


def test_a_documents_folder_named_in_dari_survives_an_ascii_console(
        machine: dict[str, Path]) -> None:
    documents = machine["home"] / "اسناد زهرا"
    documents.mkdir()
    result = run_setup(machine, "install", "--documents", str(documents), "--no-compile",
                       PYTHONIOENCODING="ascii")
    assert result.returncode == 0, result.stdout + result.stderr
    placed = documents / "ClusterBook templates" / "Microplan.xlsx"
    assert placed.exists()
    log = (machine["instdir"] / "setup.log").read_text(encoding="utf-8")
    assert f"Blank template: {placed}" in log
