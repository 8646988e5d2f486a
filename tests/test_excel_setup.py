"""`clusterbook excel setup`, `remove` and `status`: the add-in registered in the user's list of
Excel add-ins, and nothing of the user's own xlwings touched.

The registry rules run here on a key store kept in a file (the Windows registry itself is
exercised by the installer's Wine test).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import clusterbook
from clusterbook.domain.errors import ClusterBookError, InputError
from clusterbook.excel import addin_list
from clusterbook.excel.addin import FileKeys, UserFolders, remove, setup, status

SRC = Path(clusterbook.__file__).parent.parent
OPTIONS = addin_list.options_key("16.0")
OWN_CONF = b'"INTERPRETER_WIN","C:\\Users\\ana\\venv\\Scripts\\pythonw.exe"\r\n' \
           b'"UDF MODULES","ana_udfs"\r\n"DEBUG UDFS","False"\r\n'


@pytest.fixture
def folders(tmp_path) -> UserFolders:
    home = tmp_path / "Users" / "Ana Maria"
    return UserFolders(home, home / "AppData" / "Roaming",
                       FileKeys(tmp_path / "registry" / "HKCU.json"))


@pytest.fixture
def own_xlwings(folders) -> dict[Path, bytes]:
    """A user's own xlwings add-in and settings, as they were before ClusterBook."""
    files = {folders.xlwings_addin: b"PK\x03\x04 the user's own xlwings.xlam",
             folders.xlwings_config: OWN_CONF}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


@pytest.fixture
def xlam(tmp_path) -> Path:
    path = tmp_path / "Programs" / "ClusterBook" / "ClusterBook.xlam"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PK\x03\x04")
    return path


def test_register_adds_after_the_users_addins_and_unregister_restores_them():
    values = {"OPEN": '/R "C:\\Tools\\Solver.xlam"', "OPEN1": '"C:\\Mine\\A.xlam"',
              "Other": "kept"}
    before = dict(values)
    assert addin_list.register(values, r"C:\CB\ClusterBook.xlam") == "OPEN2"
    assert values["OPEN2"] == '/R "C:\\CB\\ClusterBook.xlam"'
    assert addin_list.register(values, r"c:\cb\CLUSTERBOOK.XLAM") is None  # listed already
    assert addin_list.unregister(values, r"C:\CB\ClusterBook.xlam") == ["OPEN2"]
    assert values == before
    assert addin_list.unregister(values, r"C:\CB\ClusterBook.xlam") == []


def test_unregister_moves_the_later_addins_up_so_excel_still_reaches_them():
    # Excel rewrites the list when it closes, so ours may end up in the middle.
    values = {"OPEN": '/R "C:\\A.xlam"', "OPEN1": '/R "C:\\CB\\ClusterBook.xlam"',
              "OPEN2": '"C:\\B C\\B.xlam"'}
    assert addin_list.unregister(values, r"C:\CB\ClusterBook.xlam") == ["OPEN2"]
    assert values == {"OPEN": '/R "C:\\A.xlam"', "OPEN1": '"C:\\B C\\B.xlam"'}
    # Excel stops at the first missing number: a new add-in fills the gap.
    assert addin_list.register({"OPEN": "x", "OPEN2": "y"}, r"C:\Z.xlam") == "OPEN1"
    assert addin_list.names_path(r"C:\Users\Ana Maria\B.xlam", r"C:\Users\Ana Maria\B.xlam")


def test_setup_registers_the_addin_and_leaves_the_users_xlwings_alone(folders, own_xlwings,
                                                                      xlam):
    folders.key(OPTIONS)["OPEN"] = '/R "C:\\Tools\\Solver.xlam"'
    report = setup(folders, xlam, platform="win32")
    assert "Registered the ClusterBook add-in for Excel 16.0" in report.text()
    assert "left as they are" in report.text()
    # The next steps name the guide's page as an officer finds it, not a repository path.
    assert "'ClusterBook in Excel: worksheet functions and buttons' of the ClusterBook guide" \
        in report.text()
    assert "docs/" not in report.text() and ".md" not in report.text()
    assert dict(folders.key(OPTIONS)) == {"OPEN": '/R "C:\\Tools\\Solver.xlam"',
                                          "OPEN1": f'/R "{xlam.resolve()}"'}
    assert {path: path.read_bytes() for path in own_xlwings} == own_xlwings
    again = setup(folders, xlam, platform="win32")
    assert "already registered" in again.text()
    assert len(folders.key(OPTIONS)) == 2
    assert status(folders, platform="win32").ready

    removed = remove(folders, platform="win32")
    assert "Took the ClusterBook add-in out" in removed.text()
    assert dict(folders.key(OPTIONS)) == {"OPEN": '/R "C:\\Tools\\Solver.xlam"'}
    assert {path: path.read_bytes() for path in own_xlwings} == own_xlwings
    assert not folders.record_file.exists()
    assert not status(folders, platform="win32").ready
    assert "Nothing of ClusterBook's" in remove(folders, platform="win32").text()


def test_remove_also_forgets_an_addin_the_user_unticked(folders, xlam):
    setup(folders, xlam, platform="win32")
    # Unticked in File > Options > Add-ins: Excel moves it to the Add-in Manager key.
    options = folders.key(OPTIONS)
    del options["OPEN"]
    manager = folders.key(addin_list.manager_key("16.0"))
    manager[str(xlam.resolve())] = ""
    manager[r"C:\Mine\Other.xlam"] = ""
    remove(folders, platform="win32")
    assert dict(manager) == {r"C:\Mine\Other.xlam": ""}


def test_setup_without_an_installed_addin_writes_one_for_this_python(folders):
    report = setup(folders, platform="win32")
    assert folders.own_addin.is_file() and str(folders.own_addin) in report.text()
    assert dict(folders.key(OPTIONS)) == {"OPEN": f'/R "{folders.own_addin.resolve()}"'}
    remove(folders, platform="win32")
    assert not folders.own_addin.exists() and dict(folders.key(OPTIONS)) == {}


def test_an_earlier_setups_changes_to_xlwings_are_undone_exactly(folders, own_xlwings, xlam):
    # What ClusterBook 0.1 did: its Python and module in the user's xlwings.conf, and
    # xlwings' add-in in XLSTART (the user's own was there: it kept it), as recorded.
    ours = r"C:\Users\Ana Maria\AppData\Local\Programs\ClusterBook\python\pythonw.exe"
    folders.xlwings_config.write_bytes(
        f'"INTERPRETER_WIN","{ours}"\r\n"UDF MODULES","ana_udfs;clusterbook.udfs"\r\n'
        '"DEBUG UDFS","False"\r\n'.encode())
    record = {"addin": {"path": str(folders.xlwings_addin), "installed": False,
                        "sha256": hashlib.sha256(b"other").hexdigest()},
              "settings": {"INTERPRETER_WIN": {"value": ours,
                                               "before": r"C:\Users\ana\venv\Scripts\pythonw.exe"},
                           "UDF MODULES": {"item": "clusterbook.udfs", "added": True}}}
    folders.record_file.parent.mkdir(parents=True)
    folders.record_file.write_text(json.dumps(record))
    report = setup(folders, xlam, platform="win32")
    assert "an earlier ClusterBook" in report.text()
    assert {path: path.read_bytes() for path in own_xlwings} == own_xlwings
    assert "settings" not in json.loads(folders.record_file.read_text())


def test_setup_refuses_what_it_cannot_do(folders, tmp_path):
    with pytest.raises(ClusterBookError, match="Windows only"):
        setup(folders, platform="linux")
    with pytest.raises(InputError, match="does not exist"):
        setup(folders, tmp_path / "nowhere" / "ClusterBook.xlam", platform="win32")
    assert status(folders, platform="darwin").text().count("Excel for Mac") == 2


def test_the_commands_off_windows_say_what_works_here():
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "clusterbook", "excel", *args],
                              capture_output=True, text=True, timeout=120,
                              env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})

    assert "Nothing to set up on Linux" in run("setup").stdout
    assert run("remove", "--quiet").stdout == ""
    shown = json.loads(run("status", "--json").stdout)
    assert shown["system"] == "linux" and not shown["worksheet_functions"]
