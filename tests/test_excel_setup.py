"""`clusterbook excel setup` and `status`: the Windows file layout, made in a fake user folder.

The set-up is plain file work, so it runs here against a fake %USERPROFILE% and %APPDATA%;
the settings file is read back with xlwings' own reader.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import xlwings
import xlwings.utils

import clusterbook
from clusterbook.cli import main
from clusterbook.domain.errors import ClusterBookError, InputError, WorkbookError
from clusterbook.excel import addin
from clusterbook.excel.addin import (
    UserFolders,
    bundled_addin,
    read_settings,
    remove,
    setup,
    status,
)

SRC = Path(clusterbook.__file__).parent.parent


@pytest.fixture
def folders(tmp_path) -> UserFolders:
    return UserFolders(tmp_path / "Users" / "officer", tmp_path / "Users" / "officer" / "AppData")


@pytest.fixture
def python(tmp_path) -> Path:
    path = tmp_path / "ClusterBook" / "python" / "python.exe"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"MZ")
    return path


def xlwings_reads(path: Path, monkeypatch) -> dict[str, str]:
    """The settings as xlwings' Python side reads its user config file."""
    monkeypatch.setattr(xlwings, "USER_CONFIG_FILE", str(path))
    return xlwings.utils.read_user_config()


def test_setup_installs_the_addin_and_writes_settings_xlwings_reads(folders, python,
                                                                     monkeypatch):
    report = setup(folders, python, platform="win32")
    assert folders.addin == folders.appdata / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"
    assert folders.addin.read_bytes() == bundled_addin().read_bytes()
    assert folders.config_file == folders.home / ".xlwings" / "xlwings.conf"
    settings = xlwings_reads(folders.config_file, monkeypatch)
    assert settings["interpreter_win"] == str(python.resolve())
    assert settings["udf modules"] == "clusterbook.udfs"
    # Run from a source folder, Excel's Python is pointed at it.
    assert settings["pythonpath"] == str(SRC.resolve())
    raw = folders.config_file.read_bytes()
    assert raw.startswith(f'"INTERPRETER_WIN","{python.resolve()}"\r\n'.encode())
    assert "Installed the xlwings add-in" in report.text()
    assert "Trust access to the VBA project object model" in report.text()


def test_running_setup_again_changes_nothing(folders, python):
    setup(folders, python, platform="win32")
    config, added = folders.config_file.read_bytes(), folders.addin.stat().st_mtime_ns
    recorded = folders.record_file.stat().st_mtime_ns
    report = setup(folders, python, platform="win32")
    assert folders.config_file.read_bytes() == config
    assert folders.addin.stat().st_mtime_ns == added
    assert folders.record_file.stat().st_mtime_ns == recorded
    assert report.done == [f"The xlwings add-in is already installed: {folders.addin}",
                           f"The xlwings settings are already right: {folders.config_file}"]


def test_other_settings_are_kept(folders, python, monkeypatch):
    folders.config_file.parent.mkdir(parents=True)
    folders.config_file.write_text(
        '"INTERPRETER_WIN","C:\\Old\\python.exe"\r\n'
        '"UDF MODULES","district_udfs"\r\n'
        '"SHOW CONSOLE","True"\r\n'
        "a line someone typed\r\n", encoding="utf-8")
    setup(folders, python, platform="win32")
    lines = folders.config_file.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == [f'"INTERPRETER_WIN","{python.resolve()}"',
                         '"UDF MODULES","district_udfs;clusterbook.udfs"',
                         '"SHOW CONSOLE","True"', "a line someone typed"]
    assert xlwings_reads(folders.config_file, monkeypatch)["show console"] == "True"


def test_an_old_addin_is_replaced(folders, python):
    folders.xlstart.mkdir(parents=True)
    folders.addin.write_bytes(b"an older add-in")
    report = setup(folders, python, platform="win32")
    assert folders.addin.read_bytes() == bundled_addin().read_bytes()
    assert report.done[0].startswith("Updated the xlwings add-in")


def test_an_addin_excel_holds_open_is_left_alone(folders, python, monkeypatch):
    folders.xlstart.mkdir(parents=True)
    folders.addin.write_bytes(b"an older add-in")

    def locked(source, target):
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr("clusterbook.excel.write.os.replace", locked)
    with pytest.raises(WorkbookError, match="close Excel and run 'clusterbook excel setup'"):
        setup(folders, python, platform="win32")
    assert folders.addin.read_bytes() == b"an older add-in"
    assert [p.name for p in folders.xlstart.iterdir()] == ["xlwings.xlam"]


def test_a_missing_interpreter_is_a_clear_error(folders, tmp_path):
    with pytest.raises(InputError, match="does not exist; give its full path with --inter"):
        setup(folders, tmp_path / "nowhere" / "python.exe", platform="win32")
    assert not folders.config_file.exists() and not folders.addin.exists()


@pytest.mark.parametrize(("platform", "words"), [("linux", "no Excel on Linux"),
                                                 ("darwin", "not available in Excel for Mac")])
def test_setup_is_for_windows_only(folders, python, platform, words):
    with pytest.raises(ClusterBookError, match="Windows only") as raised:
        setup(folders, python, platform=platform)
    assert words in str(raised.value)
    assert words in " ".join(status(platform=platform).notes)
    assert not status(platform=platform).worksheet_functions


def test_status_before_and_after_setup(folders, python):
    before = status(folders, platform="win32")
    assert not before.ready and not before.addin["installed"]
    assert "not installed (run 'clusterbook excel setup')" in before.text()
    setup(folders, python, platform="win32")
    after = status(folders, platform="win32")
    assert after.ready and after.addin["current"] and after.interpreter["exists"]
    assert after.settings["values"]["UDF MODULES"] == "clusterbook.udfs"
    assert "Ready for =CLUSTER_STATUS(): yes" in after.text()


def test_status_names_what_is_missing(folders, python):
    setup(folders, python, platform="win32")
    folders.config_file.write_text('"UDF MODULES","district_udfs"\r\n', encoding="utf-8")
    result = status(folders, platform="win32")
    assert not result.ready and not result.settings["udf_module_configured"]
    assert "does not name clusterbook.udfs" in result.text()


def test_the_command_on_windows_is_quiet_and_idempotent(folders, python, monkeypatch, capsys):
    monkeypatch.setenv("USERPROFILE", str(folders.home))
    monkeypatch.setenv("APPDATA", str(folders.appdata))
    monkeypatch.setattr(addin, "system_name", lambda platform=None: "windows")
    for _ in range(2):
        assert main(["excel", "setup", "--interpreter", str(python), "--quiet"]) == 0
        assert capsys.readouterr().out == ""
    assert main(["excel", "status", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["ready"] is True and shown["system"] == "windows"
    assert shown["settings"]["values"]["INTERPRETER_WIN"] == str(python.resolve())


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clusterbook", *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(SRC)}, timeout=120)


@pytest.mark.skipif(sys.platform.startswith("win"), reason="says what Linux and macOS lack")
def test_the_command_elsewhere_says_what_is_available():
    result = run_cli("excel", "setup", "--quiet")
    assert result.returncode == 0
    assert "Nothing to set up" in result.stdout and "native formulas" in result.stdout
    shown = json.loads(run_cli("excel", "status", "--json").stdout)
    assert shown["worksheet_functions"] is False and shown["ready"] is False
    assert any("native formulas" in note for note in shown["notes"])


# -- remove ------------------------------------------------------------------------------------

def test_remove_undoes_setup_completely(folders, python):
    folders.xlstart.mkdir(parents=True)
    setup(folders, python, platform="win32")
    assert folders.record_file.is_file()
    report = remove(folders, platform="win32")
    assert report.done == [
        f"Removed the xlwings add-in {folders.addin}",
        f"Removed the xlwings settings {folders.config_file}: only ClusterBook's were in it"]
    assert not folders.addin.exists() and not folders.config_file.exists()
    assert not folders.config_file.parent.exists()  # the empty .xlwings folder
    assert not folders.record_file.parent.exists()
    assert folders.xlstart.is_dir()  # Excel's own folder stays


def test_remove_again_changes_nothing(folders, python):
    setup(folders, python, platform="win32")
    remove(folders, platform="win32")
    assert remove(folders, platform="win32").done == [
        "Nothing of ClusterBook's is set up for Excel for this user"]
    assert not folders.home.joinpath(".xlwings").exists()


def test_remove_gives_back_what_setup_replaced_and_keeps_the_rest(folders, python,
                                                                    monkeypatch):
    original = ('"INTERPRETER_WIN","C:\\Old\\python.exe"\r\n'
                '"UDF MODULES","district_udfs"\r\n'
                '"SHOW CONSOLE","True"\r\n'
                "a line someone typed\r\n")
    folders.config_file.parent.mkdir(parents=True)
    folders.config_file.write_bytes(original.encode())
    setup(folders, python, platform="win32")
    setup(folders, python, platform="win32")  # twice: the value before is the first one
    report = remove(folders, platform="win32")
    assert folders.config_file.read_bytes() == original.encode()
    assert xlwings_reads(folders.config_file, monkeypatch)["interpreter_win"] == \
        "C:\\Old\\python.exe"
    # The add-in was installed by the set-up, but the user's own functions need it.
    assert folders.addin.is_file()
    assert report.done == [
        f"Kept the xlwings add-in {folders.addin}: other worksheet functions still use it "
        f"(UDF MODULES: district_udfs)",
        f"Removed ClusterBook's settings (INTERPRETER_WIN back to its earlier value, UDF "
        f"MODULES, PYTHONPATH) from {folders.config_file}; the other settings are kept"]


def test_an_addin_that_was_there_before_is_kept(folders, python):
    folders.xlstart.mkdir(parents=True)
    folders.addin.write_bytes(bundled_addin().read_bytes())  # installed with xlwings itself
    setup(folders, python, platform="win32")
    report = remove(folders, platform="win32")
    assert folders.addin.read_bytes() == bundled_addin().read_bytes()
    assert "it was there before" in report.done[0]
    assert not folders.config_file.exists()


def test_settings_changed_after_setup_are_the_users(folders, python, tmp_path):
    setup(folders, python, platform="win32")
    text = folders.config_file.read_text(encoding="utf-8").replace(
        str(python.resolve()), "D:\\Mine\\python.exe")
    folders.config_file.write_text(text, encoding="utf-8", newline="")
    folders.addin.write_bytes(b"an add-in the user put there")
    report = remove(folders, platform="win32")
    assert read_settings(folders.config_file) == {"INTERPRETER_WIN": "D:\\Mine\\python.exe"}
    assert "it has changed since ClusterBook installed it" in report.done[0]
    assert folders.addin.read_bytes() == b"an add-in the user put there"


def test_without_a_record_clusterbooks_entries_are_known_by_their_values(folders):
    # A set-up made before the record existed, for the Python that runs the removal.
    setup(folders, sys.executable, platform="win32")
    folders.record_file.unlink()
    remove(folders, platform="win32")
    assert not folders.config_file.exists() and not folders.addin.exists()


def test_an_addin_excel_holds_open_stops_the_removal_and_nothing_changes(folders, python,
                                                                         monkeypatch):
    setup(folders, python, platform="win32")
    config = folders.config_file.read_bytes()
    real_unlink = Path.unlink

    def locked(self, *args, **kwargs):
        if self.name == "xlwings.xlam":
            raise PermissionError(13, "The process cannot access the file")
        return real_unlink(self, *args, **kwargs)

    monkeypatch.setattr(Path, "unlink", locked)
    with pytest.raises(WorkbookError, match="close Excel and run 'clusterbook excel remove' "
                                            "again \\(nothing was changed\\)"):
        remove(folders, platform="win32")
    assert folders.config_file.read_bytes() == config and folders.record_file.is_file()


def test_remove_is_for_windows_only(folders):
    with pytest.raises(ClusterBookError, match="nothing to remove on Linux"):
        remove(folders, platform="linux")


def test_the_remove_command_is_quiet_and_idempotent(folders, python, monkeypatch, capsys):
    monkeypatch.setenv("USERPROFILE", str(folders.home))
    monkeypatch.setenv("APPDATA", str(folders.appdata))
    monkeypatch.setattr(addin, "system_name", lambda platform=None: "windows")
    assert main(["excel", "setup", "--interpreter", str(python), "--quiet"]) == 0
    for _ in range(2):
        assert main(["excel", "remove", "--quiet"]) == 0
        assert capsys.readouterr().out == ""
    assert not folders.addin.exists() and not folders.config_file.exists()
    assert main(["excel", "remove"]) == 0
    assert "Nothing of ClusterBook's is set up" in capsys.readouterr().out


@pytest.mark.skipif(sys.platform.startswith("win"), reason="says what Linux and macOS lack")
def test_the_remove_command_elsewhere_says_there_is_nothing_to_remove():
    result = run_cli("excel", "remove")
    assert result.returncode == 0 and "Nothing to remove on Linux" in result.stdout
    assert run_cli("excel", "remove", "--quiet").stdout == ""
