"""The real installer, run under Wine: silent install, the bundled Python, silent uninstall.

Wine 8 (Debian 12) runs the installer, the uninstaller and the embeddable CPython, but lacks
three pieces of Windows 10 that compiled libraries load (``ucrtbase`` ``crealf`` for numpy,
``bcryptprimitives.dll`` for python-calamine and pydantic-core, ``icuuc.dll`` for Qt), so the
interpreter check here imports the pure-Python and pywin32 parts; the payload tests check that
every DLL the compiled libraries load is in the payload or part of Windows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clusterbook.excel.addin_file import xlwings_folder
from clusterbook_installer.cli import BuildResult
from conftest import IN_CI, require_program

pytestmark = [pytest.mark.wine, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
WINE_CANDIDATES = ("wine64", "/usr/lib/wine/wine64", "wine")

INTERPRETER_CHECK = r'''
import importlib, json, sys, zoneinfo
report = {"version": sys.version, "prefix": sys.prefix, "path": sys.path, "imports": {}}
for name in ("pythoncom", "pywintypes", "win32api", "win32com.client", "xlsxwriter",
             "defusedxml", "et_xmlfile", "dateutil", "tzdata", "clusterbook",
             "clusterbook.forms", "sqlite3", "ssl", "ctypes"):
    try:
        importlib.import_module(name)
        report["imports"][name] = "ok"
    except BaseException as error:
        report["imports"][name] = f"{type(error).__name__}: {error}"
report["kabul"] = str(zoneinfo.ZoneInfo("Asia/Kabul"))
with open(sys.argv[1], "w") as stream:
    json.dump(report, stream)
'''


OPTIONS = r"HKCU\Software\Microsoft\Office\16.0\Excel\Options"
SOLVER = r'/R "C:\Tools\Solver.xlam"'
#: A window of Excel's main window class (XLMAIN), open until a stop file appears: what the
#: installer looks for to know that Excel is open.
EXCEL_STAND_IN = r"""
import ctypes, ctypes.wintypes as w, os, sys, time
user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32
PROCEDURE = ctypes.WINFUNCTYPE(ctypes.c_ssize_t, w.HWND, w.UINT, w.WPARAM, w.LPARAM)
user32.DefWindowProcW.argtypes = [w.HWND, w.UINT, w.WPARAM, w.LPARAM]
user32.DefWindowProcW.restype = ctypes.c_ssize_t
procedure = PROCEDURE(lambda *args: user32.DefWindowProcW(*args))
class WNDCLASSW(ctypes.Structure):
    _fields_ = [("style", w.UINT), ("lpfnWndProc", PROCEDURE), ("cbClsExtra", ctypes.c_int),
                ("cbWndExtra", ctypes.c_int), ("hInstance", w.HINSTANCE), ("hIcon", w.HICON),
                ("hCursor", w.HANDLE), ("hbrBackground", w.HBRUSH),
                ("lpszMenuName", w.LPCWSTR), ("lpszClassName", w.LPCWSTR)]
kernel32.GetModuleHandleW.restype = w.HMODULE
window_class = WNDCLASSW(lpfnWndProc=procedure, lpszClassName="XLMAIN",
                         hInstance=kernel32.GetModuleHandleW(None))
user32.RegisterClassW(ctypes.byref(window_class))
user32.CreateWindowExW.restype = w.HWND
user32.CreateWindowExW.argtypes = [w.DWORD, w.LPCWSTR, w.LPCWSTR, w.DWORD, ctypes.c_int,
                                   ctypes.c_int, ctypes.c_int, ctypes.c_int, w.HWND, w.HMENU,
                                   w.HINSTANCE, w.LPVOID]
window = user32.CreateWindowExW(0, "XLMAIN", "Excel", 0, 0, 0, 10, 10, None, None,
                                window_class.hInstance, None)
with open(sys.argv[1], "w") as stream:
    stream.write(str(window or 0))
for _ in range(3000):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
"""


def excel_addins(wine: Wine) -> dict[str, str]:
    """The OPEN values of the user's Excel options key, read from the prefix's user.reg."""
    wine.wait()
    text = (wine.prefix / "user.reg").read_text(errors="replace")
    marker = "[" + OPTIONS.removeprefix("HKCU\\").replace("\\", "\\\\") + "]"
    if marker not in text:
        return {}
    block = text.split(marker, 1)[1].split("\n[", 1)[0]
    return {name: value.replace('\\"', '"').replace("\\\\", "\\")
            for name, value in re.findall(r'^"(OPEN\d*)"="(.*)"$', block, re.MULTILINE)}


def run_while_excel_is_open(wine: Wine, program: list[str], scratch: Path,
                            python: Path) -> subprocess.CompletedProcess[str]:
    """Run a Windows program while a window of Excel's class is open (on a virtual screen:
    Wine makes windows only with a display)."""
    xvfb = require_program("Xvfb")
    reader, writer = os.pipe()  # Xvfb picks a free display and writes its number here
    screen = subprocess.Popen([xvfb, "-displayfd", str(writer), "-nolisten", "tcp"],
                              pass_fds=(writer,), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    os.close(writer)
    with os.fdopen(reader) as numbers:
        display = ":" + numbers.readline().strip()
    scratch.mkdir(parents=True, exist_ok=True)
    script, opened, stop = scratch / "excel.py", scratch / "excel-open.txt", scratch / "stop"
    script.write_text(EXCEL_STAND_IN)
    env = {**wine.env, "DISPLAY": display}
    command = " ".join(f"'{arg}'" for arg in [wine.program, str(python), wine.windows_path(script),
                                               wine.windows_path(opened),
                                               wine.windows_path(stop)])
    excel = subprocess.Popen(["script", "-qec", command, "/dev/null"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            if opened.exists() and opened.read_text().strip():
                break
            time.sleep(0.2)
        assert opened.read_text().strip() not in ("", "0"), "the Excel stand-in has no window"
        return subprocess.run([wine.program, *program], env=env, capture_output=True,
                              text=True, timeout=600, check=False)
    finally:
        stop.write_text("")
        excel.wait(timeout=120)
        wine.wait()
        screen.terminate()
        screen.wait(timeout=60)


def wine_program() -> str:
    for candidate in WINE_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    message = "Wine is not installed (Debian: apt-get install wine64)"
    if IN_CI:
        pytest.fail(f"{message}, and CI must run every test (see .ci/run)")
    pytest.skip(message)


class Wine:
    """A fresh Wine prefix: one Windows user profile in a temporary folder."""

    def __init__(self, prefix: Path) -> None:
        self.program = wine_program()
        self.prefix = prefix
        # A home of its own: Wine links the user's Documents to it, so the test sees only
        # what the installer writes there. No desktop menu entries are made on this machine.
        home = prefix.parent / "home"
        home.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "WINEPREFIX": str(prefix), "WINEDEBUG": "-all", "HOME": str(home),
                    "WINEDLLOVERRIDES": "mscoree,mshtml=;winemenubuilder.exe=d"}
        self.env.pop("DISPLAY", None)
        self.run("wineboot", "--init")

    def run(self, *args: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([self.program, *args], env=self.env, capture_output=True,
                                text=True, timeout=timeout, check=False)
        self.wait()
        return result

    def run_console(self, *args: str) -> None:
        """A console program needs a terminal under Wine for its standard streams."""
        command = " ".join(f"'{arg}'" for arg in [self.program, *args])
        subprocess.run(["script", "-qec", command, "/dev/null"], env=self.env,
                       capture_output=True, timeout=900, check=False)
        self.wait()

    def _server(self, flag: str) -> None:
        server = Path(self.program).with_name("wineserver")
        subprocess.run([str(server) if server.exists() else "wineserver", flag],
                       env=self.env, timeout=900, check=False)

    def wait(self) -> None:
        """Until every program in this prefix has ended."""
        self._server("-w")

    def close(self) -> None:
        """End whatever still runs in this prefix (after a failure or a time-out)."""
        self._server("-k")

    def user_folder(self) -> Path:
        (user,) = [path for path in (self.prefix / "drive_c" / "users").iterdir()
                   if path.name != "Public"]
        return user

    def temp_files(self, name: str) -> list[Path]:
        """Files of that name anywhere on the prefix's drive C (the user's %TEMP% included)."""
        return sorted((self.prefix / "drive_c").rglob(name))

    def windows_path(self, path: Path) -> str:
        return "Z:" + str(path).replace("/", "\\")

    def machine_files(self) -> set[str]:
        """Files outside the user's profile (Windows, Program Files, ProgramData)."""
        drive = self.prefix / "drive_c"
        return {str(path.relative_to(drive)) for path in drive.rglob("*")
                if path.is_file() and "users" not in path.relative_to(drive).parts[:1]
                and "temp" not in (part.lower() for part in path.relative_to(drive).parts)}


@pytest.fixture
def wine(tmp_path: Path) -> Iterator[Wine]:
    prefix = Wine(tmp_path / "prefix")
    yield prefix
    prefix.close()


def test_silent_install_bundled_python_and_silent_uninstall(
        full_build: BuildResult, wine: Wine, tmp_path: Path) -> None:
    assert full_build.installer is not None
    machine_before = wine.machine_files()
    system_registry_before = (wine.prefix / "system.reg").read_text(errors="replace")
    user = wine.user_folder()
    instdir = user / "AppData" / "Local" / "Programs" / "ClusterBook"
    shortcut = user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / \
        "Programs" / "ClusterBook.lnk"
    documents_before = sorted((user / "Documents").rglob("*")) if (user / "Documents").exists() \
        else []
    # A user with xlwings of their own, and an add-in of their own in Excel's list.
    own = {user / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam":
           (xlwings_folder() / "addin" / "xlwings.xlam").read_bytes(),
           user / ".xlwings" / "xlwings.conf":
           b'"INTERPRETER_WIN","C:\\Users\\ana\\venv\\Scripts\\pythonw.exe"\r\n'
           b'"UDF MODULES","ana_udfs"\r\n'}
    for path, data in own.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    wine.run("reg", "add", OPTIONS, "/v", "OPEN", "/d", SOLVER, "/f")
    assert excel_addins(wine) == {"OPEN": SOLVER}

    # Excel open: the silent installer stops, says why, and installs nothing.
    refused = run_while_excel_is_open(wine, [str(full_build.installer), "/S"],
                                      tmp_path / "install",
                                      full_build.payload.python_dir / "python.exe")
    assert refused.returncode == 3
    (note,) = wine.temp_files("ClusterBook-setup.log")
    assert "Excel is open, so the installation did not start" in note.read_text()
    assert not instdir.exists() and excel_addins(wine) == {"OPEN": SOLVER}

    wine.run(str(full_build.installer), "/S")

    for name in ("python/python.exe", "python/pythonw.exe", "python/python312._pth",
                 "clusterbook-launcher.pyw", "clusterbook_setup.py", "clusterbook.ico",
                 "Uninstall ClusterBook.exe", "install-record.json", "setup.log"):
        assert (instdir / name).is_file(), name
    log = (instdir / "setup.log").read_text()
    assert "python\\python.exe" in log and "Compiled the bundled libraries." in log
    record = json.loads((instdir / "install-record.json").read_text())
    assert record["steps"]["compile"] == "done"
    assert record["steps"] == {"compile": "done", "excel": "done", "templates": "done"}, log
    # The add-in is registered for the user after their own; their xlwings is untouched.
    assert (instdir / "ClusterBook.xlam").read_bytes() == \
        (full_build.payload.root / "ClusterBook.xlam").read_bytes()
    addins = excel_addins(wine)
    assert addins["OPEN"] == SOLVER and set(addins) == {"OPEN", "OPEN1"}, addins
    assert addins["OPEN1"].startswith('/R "C:\\') and addins["OPEN1"].endswith(
        '\\AppData\\Local\\Programs\\ClusterBook\\ClusterBook.xlam"'), addins
    assert {path: path.read_bytes() for path in own} == own
    blanks = user / "Documents" / "ClusterBook templates"
    assert (blanks / "cesm-microplan.xlsx").read_bytes() == \
        (ROOT / "workbooks" / "cesm-microplan.xlsx").read_bytes()
    link = shortcut.read_bytes()
    assert b"pythonw.exe" in link or "pythonw.exe".encode("utf-16-le") in link
    assert "clusterbook-launcher.pyw".encode("utf-16-le") in link
    user_registry = (wine.prefix / "user.reg").read_text(errors="replace")
    assert "CurrentVersion\\\\Uninstall\\\\ClusterBook]" in user_registry
    assert f'"DisplayVersion"="{full_build.app_version}"' in user_registry
    assert "ClusterBook" not in (wine.prefix / "system.reg").read_text(errors="replace").replace(
        system_registry_before, "")
    assert wine.machine_files() - machine_before == set()

    report_file = tmp_path / "interpreter.json"
    check = tmp_path / "check.py"
    check.write_text(INTERPRETER_CHECK)
    wine.run_console(wine.windows_path(instdir / "python" / "python.exe"),
                     wine.windows_path(check), wine.windows_path(report_file))
    report = json.loads(report_file.read_text())
    assert report["version"].startswith(full_build.payload.target.python_version)
    path = [entry.lower() for entry in report["path"]]
    site = "\\python\\lib\\site-packages"
    assert any(entry.endswith(site) for entry in path)
    assert any(entry.endswith(site + "\\win32") for entry in path)  # pywin32.pth was read
    assert {name: status for name, status in report["imports"].items() if status != "ok"} == {}
    assert report["kabul"] == "Asia/Kabul"  # time zones from the bundled tzdata

    uninstaller = instdir / "Uninstall ClusterBook.exe"
    # Excel open: the silent uninstaller (run in place, so its exit code is its own) stops
    # and removes nothing.
    refused = run_while_excel_is_open(
        wine, [str(uninstaller), "/S", f"_?={wine.windows_path(instdir)}"],
        tmp_path / "uninstall", instdir / "python" / "python.exe")
    assert refused.returncode == 3
    (note,) = wine.temp_files("ClusterBook-setup.log")
    assert "Excel is open, so the removal did not start" in note.read_text()
    assert (instdir / "python" / "python.exe").is_file()
    assert (instdir / "ClusterBook.xlam").is_file()
    assert set(excel_addins(wine)) == {"OPEN", "OPEN1"}

    wine.run(str(uninstaller), "/S")

    assert not instdir.exists()
    assert not shortcut.exists()
    assert excel_addins(wine) == {"OPEN": SOLVER}
    assert {path: path.read_bytes() for path in own} == own
    user_registry = (wine.prefix / "user.reg").read_text(errors="replace")
    assert "Uninstall\\\\ClusterBook]" not in user_registry
    documents_after = sorted((user / "Documents").rglob("*")) if (user / "Documents").exists() \
        else []
    assert documents_after == documents_before
