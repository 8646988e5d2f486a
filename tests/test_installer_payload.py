"""The real payload: the embeddable CPython and the Windows wheels pinned in the manifest, laid
out as the installer copies them. Built once per session from the download cache (see
installer_support)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from clusterbook_installer.cli import BuildResult
from clusterbook_installer.lock import lock
from clusterbook_installer.manifest import load, sha256_of
from clusterbook_installer.pe import NotPe, is_windows_dll, read_pe
from clusterbook_installer.wheels import read_installed, unmet_requirements
from conftest import require_program
from installer_support import ROOT, require_filled_cache

MB = 1024 * 1024


@pytest.fixture(scope="module")
def payload(payload_build: BuildResult) -> BuildResult:
    return payload_build


def binaries(root: Path) -> list[Path]:
    return [path for path in root.rglob("*")
            if path.is_file() and path.suffix.lower() in (".dll", ".pyd", ".exe")]


def test_every_runtime_dependency_is_there_as_a_wheel_for_the_bundled_python(
        payload: BuildResult) -> None:
    target = payload.payload.target
    installed = read_installed(payload.payload.site_packages)
    clusterbook = next(dist for dist in installed if dist.name == "clusterbook")
    assert clusterbook.requires, "ClusterBook's metadata lists its dependencies"
    roots = [req for req in clusterbook.requires if req.marker is None
             or req.marker.evaluate(target.marker_environment())]
    assert unmet_requirements(installed, roots, target) == []
    names = {dist.name for dist in installed}
    assert {"pywin32", "tzdata"} <= names  # Windows-only: a Linux resolve would miss them
    for dist in installed:
        assert dist.tags & target.tags, f"{dist.source} cannot load on CPython {target.abi}"


def test_the_path_file_enables_site_packages(payload: BuildResult) -> None:
    target = payload.payload.target
    lines = (payload.payload.python_dir / target.pth_name).read_text().splitlines()
    assert lines[:3] == [target.stdlib_zip, ".", "Lib\\site-packages"]
    assert "import site" in lines and "#import site" not in lines
    assert (payload.payload.site_packages / "pywin32.pth").exists()


def test_clusterbook_from_this_checkout_is_in_the_payload(payload: BuildResult) -> None:
    source = ROOT / "src" / "clusterbook"
    installed = payload.payload.site_packages / "clusterbook"
    files = [path for path in source.rglob("*")
             if path.is_file() and "__pycache__" not in path.parts]
    assert len(files) > 20
    for path in files:
        copy = installed / path.relative_to(source)
        assert copy.read_bytes() == path.read_bytes(), f"{copy} differs from the checkout"
    script = (payload.payload.root / "clusterbook-launcher.pyw").read_text()
    assert "from clusterbook.launcher.app import main" in script
    compile(script, "clusterbook-launcher.pyw", "exec")
    setup = payload.payload.root / "clusterbook_setup.py"
    assert setup.read_bytes() == (ROOT / "installer" / "clusterbook_setup.py").read_bytes()


def test_the_excel_bridge_dlls_sit_beside_the_interpreter(payload: BuildResult) -> None:
    python_dir = payload.payload.python_dir
    for bits, machine in (("64", 0x8664), ("32", 0x14C)):  # 64- and 32-bit Office
        (dll,) = python_dir.glob(f"xlwings{bits}-*.dll")
        assert read_pe(dll).machine == machine


def test_the_addin_runs_the_bundled_python_and_names_the_bundled_dll(
        payload: BuildResult) -> None:
    import zipfile

    from oletools.olevba import VBA_Parser
    from python_calamine import CalamineWorkbook

    addin = payload.payload.root / "ClusterBook.xlam"
    settings = dict(CalamineWorkbook.from_path(str(addin)).get_sheet_by_name(
        "clusterbook.conf").to_python())
    assert settings["INTERPRETER_WIN"] == "{ADDIN_FOLDER}\\python\\pythonw.exe"
    assert (payload.payload.python_dir / "pythonw.exe").is_file()  # beside the add-in
    parser = VBA_Parser(str(addin))
    runtime = {name: code for _, _, name, code in parser.extract_macros()}[
        "ClusterBookXlwings.bas"]
    parser.close()
    for bits in ("64", "32"):
        (dll,) = payload.payload.python_dir.glob(f"xlwings{bits}-*.dll")
        assert f'Lib "{dll.name}"' in runtime
    with zipfile.ZipFile(addin) as package:
        assert "customUI/customUI14.xml" in package.namelist()


def test_no_linux_or_mac_binary_is_in_the_payload(payload: BuildResult) -> None:
    for path in payload.payload.files():
        assert not re.search(r"\.so(\.\d+)*$|\.dylib$", path.name), path
        head = path.read_bytes()[:4]
        assert head != b"\x7fELF", f"{path} is a Linux binary"
        assert head not in (b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe"), f"{path} is a Mac binary"


def test_every_binary_is_64_bit_windows_and_finds_every_dll_it_loads(
        payload: BuildResult) -> None:
    files = binaries(payload.payload.root)
    assert len(files) > 100
    present = {path.name.lower() for path in files}
    unresolved = {}
    for path in files:
        binary = read_pe(path)
        if path.name.startswith("xlwings32-"):
            continue  # the add-in's bridge for 32-bit Office, checked above
        assert binary.is_amd64, f"{path} is not a 64-bit Windows binary"
        missing = [dll for dll in binary.imports if dll not in present and not is_windows_dll(dll)]
        if missing:
            unresolved[str(path.relative_to(payload.payload.root))] = missing
    assert unresolved == {}


def test_the_visual_cpp_runtime_travels_with_the_payload(payload: BuildResult) -> None:
    present = {path.name.lower() for path in binaries(payload.payload.root)}
    assert {"vcruntime140.dll", "vcruntime140_1.dll", "msvcp140.dll"} <= present
    with pytest.raises(NotPe):
        read_pe(payload.payload.python_dir / payload.payload.target.stdlib_zip)


def test_the_runtime_is_python_orgs_signed_build(payload: BuildResult) -> None:
    """Each runtime binary carries its Authenticode signature and its signed digest matches.

    The chain ends at a Microsoft root that Debian's certificate store lacks, so the chain
    itself is not verified here; the file hashes are also pinned in the manifest.
    """
    osslsigncode = require_program("osslsigncode")
    runtime = load().python
    for name in sorted(runtime.files):
        if not name.endswith((".exe", ".dll", ".pyd")):
            continue
        result = subprocess.run([osslsigncode, "verify", "-in",
                                 str(payload.payload.python_dir / name)],
                                capture_output=True, text=True, check=False)
        output = result.stdout + result.stderr
        current = re.search(r"Current message digest\s*:\s*(\w+)", output)
        calculated = re.search(r"Calculated message digest\s*:\s*(\w+)", output)
        assert current and calculated and current.group(1) == calculated.group(1), name
        signer = "Microsoft Corporation" if name.startswith("vcruntime") else \
            "Python Software Foundation"
        assert f"O={signer}" in output, name
        if name.startswith("python"):
            assert f"Release_v{runtime.version}" in output, name


def test_the_payload_matches_the_pins_and_every_prune_rule_is_used(
        payload: BuildResult) -> None:
    runtime = load().python
    for name, digest in runtime.files.items():
        if name != f"python{payload.payload.target.short}._pth":
            assert sha256_of(payload.payload.python_dir / name) == digest, name
    unused = [pattern for pattern, size in payload.payload.pruned.items() if size == 0]
    assert unused == []
    kept = {path.name for path in (payload.payload.site_packages / "PySide6").glob("Qt*.pyd")}
    assert {"QtCore.pyd", "QtGui.pyd", "QtWidgets.pyd"} <= kept
    assert (payload.payload.site_packages / "PySide6" / "plugins" / "platforms" /
            "qwindows.dll").exists()


def test_the_payload_size(payload: BuildResult) -> None:
    size = payload.payload.size()
    biggest = payload.payload.contributors().most_common(6)
    print(f"\npayload {size / MB:.1f} MB: " +
          ", ".join(f"{name} {bytes_ / MB:.1f} MB" for name, bytes_ in biggest))
    # Unpacked on disk; the LZMA-compressed installer is about a quarter of this.
    assert size < 400 * MB


def test_the_installer_is_within_the_size_limit(full_build: BuildResult) -> None:
    assert full_build.installer is not None
    size = full_build.installer.stat().st_size
    print(f"\ninstaller {full_build.installer.name}: {size / MB:.1f} MB")
    assert size <= load().size_limit_mb * MB
    assert read_pe(full_build.installer).is_amd64



def test_lock_picks_a_complete_set_of_windows_wheels() -> None:
    """``build.py lock`` from scratch, offline from the cached wheels: pip resolves with
    Linux markers, and the lock adds what Windows needs until nothing is missing (it raises
    otherwise); from the pinned wheels it picks exactly the pins."""
    locked = lock(load(), ROOT, find_links=require_filled_cache() / "wheels")
    names = {wheel.name for wheel in locked.wheels}
    assert {"pywin32", "tzdata", "pandas", "xlwings", "pyside6-essentials"} <= names
    for wheel in locked.wheels:
        assert wheel.filename.endswith(("-win_amd64.whl", "-none-any.whl")), wheel.filename
    assert locked.wheels == load().wheels
