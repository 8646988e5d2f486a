"""The payload: the folder tree the installer copies into ``%LOCALAPPDATA%\\Programs\\ClusterBook``.

::

    python/                      the embeddable CPython, site-packages enabled
      Lib/site-packages/         ClusterBook and its dependencies, unpacked from wheels
    clusterbook-launcher.pyw     starts the launcher (what the Start-menu shortcut runs)
    clusterbook_setup.py         Excel add-in, xlwings.conf and templates, run after copying
    clusterbook.ico
    ClusterBook.xlam             the Excel add-in (worksheet functions, ribbon tab), whose
                                 settings name python\\pythonw.exe beside it
"""

from __future__ import annotations

import configparser
import fnmatch
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from clusterbook_installer import BuildError
from clusterbook_installer.icon import ico
from clusterbook_installer.manifest import Manifest, PruneRule
from clusterbook_installer.target import Target
from clusterbook_installer.wheels import check_tags, install_wheel

SETUP_SCRIPT = Path(__file__).resolve().parent.parent / "clusterbook_setup.py"
LAUNCHER_SCRIPT = "clusterbook-launcher.pyw"
LAUNCHER_ENTRY_POINT = "clusterbook-launcher"
ICON = "clusterbook.ico"
PYTHON_DIR = "python"
ADDIN = "ClusterBook.xlam"
#: The add-in's interpreter, relative to the add-in's own folder (see clusterbook.excel).
ADDIN_INTERPRETER = r"{ADDIN_FOLDER}\python\pythonw.exe"
TOP_LEVEL_FILES = (LAUNCHER_SCRIPT, SETUP_SCRIPT.name, ICON, ADDIN)


@dataclass
class Payload:
    root: Path
    target: Target
    pruned: dict[str, int] = field(default_factory=dict)

    @property
    def python_dir(self) -> Path:
        return self.root / PYTHON_DIR

    @property
    def site_packages(self) -> Path:
        return self.python_dir / "Lib" / "site-packages"

    def files(self) -> list[Path]:
        return sorted(path for path in self.root.rglob("*") if path.is_file())

    def size(self) -> int:
        return sum(path.stat().st_size for path in self.files())

    def contributors(self) -> Counter[str]:
        """Bytes per piece: each top-level package in site-packages, the runtime, the rest."""
        sizes: Counter[str] = Counter()
        for path in self.files():
            relative = path.relative_to(self.root)
            if path.is_relative_to(self.site_packages):
                top = path.relative_to(self.site_packages).parts[0]
                if top.endswith(".dist-info"):
                    top = "package metadata (.dist-info)"
                sizes[top.removesuffix(".libs")] += path.stat().st_size
            elif relative.parts[0] == PYTHON_DIR:
                sizes["CPython runtime"] += path.stat().st_size
            else:
                sizes["installer scripts and icon"] += path.stat().st_size
        return sizes


def enable_site(pth: str, target: Target) -> str:
    """The embeddable ``pythonXY._pth`` with ``Lib\\site-packages`` and ``import site`` on.

    As shipped, the file fixes ``sys.path`` to the stdlib zip and the interpreter folder and
    leaves ``import site`` commented out, so neither site-packages nor ``.pth`` files (pywin32
    needs its own) would be seen. The file keeps its other lines and its line endings.
    """
    newline = "\r\n" if "\r\n" in pth else "\n"
    lines = pth.splitlines()
    if target.stdlib_zip not in lines or "." not in lines:
        raise BuildError(f"{target.pth_name} does not look like the embeddable one: {lines!r}")
    out: list[str] = []
    for line in lines:
        if line.strip().lstrip("#").strip() == "import site":
            continue
        out.append(line)
        if line == ".":
            out.append("Lib\\site-packages")
    out.append("import site")
    return newline.join(out) + newline


def launcher_script(site_packages: Path) -> str:
    """A ``.pyw`` that does what pip's ``clusterbook-launcher`` entry point would do.

    pip turns gui-scripts into small .exe files that hold the interpreter's absolute path at
    install time; there is no pip on the officer's laptop and the build does not know the
    install path, so the shortcut runs ``pythonw.exe`` on this script instead. If the launcher
    fails to start, a message box says why rather than nothing happening.
    """
    dist_infos = sorted(site_packages.glob("clusterbook-*.dist-info"))
    if len(dist_infos) != 1:
        raise BuildError(f"Expected one clusterbook .dist-info in the payload, found {dist_infos}")
    entry_points = configparser.ConfigParser(delimiters=("=",))
    entry_points.optionxform = str  # type: ignore[assignment, method-assign]
    entry_points.read(dist_infos[0] / "entry_points.txt", encoding="utf-8")
    try:
        target = entry_points["gui_scripts"][LAUNCHER_ENTRY_POINT].strip()
    except KeyError as error:
        raise BuildError(f"ClusterBook's wheel declares no gui-script {LAUNCHER_ENTRY_POINT!r}."
                         ) from error
    module, _, function = target.partition(":")
    return f'''"""Starts the ClusterBook launcher ({LAUNCHER_ENTRY_POINT} = {target})."""
import sys
import traceback

try:
    from {module} import {function}
    sys.exit({function}())
except SystemExit:
    raise
except BaseException:
    import ctypes

    ctypes.windll.user32.MessageBoxW(
        None,
        "ClusterBook could not start.\\n\\n" + traceback.format_exc(limit=3),
        "ClusterBook",
        0x10,
    )
    sys.exit(1)
'''


def prune(site_packages: Path, rules: list[PruneRule]) -> dict[str, int]:
    """Delete files matched by the manifest's rules; returns bytes removed per pattern."""
    removed: dict[str, int] = {rule.pattern: 0 for rule in rules}
    for path in sorted(site_packages.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site_packages).as_posix()
        for rule in rules:
            if fnmatch.fnmatchcase(relative, rule.pattern):
                removed[rule.pattern] += path.stat().st_size
                path.unlink()
                break
    for directory in sorted(site_packages.rglob("*"), reverse=True):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return removed


def build_payload(manifest: Manifest, root: Path, python: dict[str, bytes],
                  wheels: list[Path], app_wheel: Path) -> Payload:
    """Lay out the payload at ``root`` (emptied first) from checked pieces."""
    target = manifest.target
    if root.exists():
        shutil.rmtree(root)
    payload = Payload(root=root, target=target)
    payload.python_dir.mkdir(parents=True)
    for name, data in python.items():
        (payload.python_dir / name).write_bytes(data)
    pth = payload.python_dir / target.pth_name
    pth.write_text(enable_site(python[target.pth_name].decode("utf-8"), target),
                   encoding="utf-8", newline="")
    payload.site_packages.mkdir(parents=True)
    for wheel in [*wheels, app_wheel]:
        check_tags(wheel, target)
        install_wheel(wheel, payload.python_dir)
    payload.pruned = prune(payload.site_packages, manifest.prune)
    (root / LAUNCHER_SCRIPT).write_text(launcher_script(payload.site_packages), encoding="utf-8")
    shutil.copyfile(SETUP_SCRIPT, root / SETUP_SCRIPT.name)
    (root / ICON).write_bytes(ico())
    return payload


def write_addin(payload: Payload, manifest: Manifest, project: Path) -> Path:
    """ClusterBook.xlam for the payload, written by ``clusterbook excel addin`` from the
    checkout. Its xlwings runtime comes from the xlwings this build runs with, and names that
    version's DLL: it must be the version the payload bundles."""
    pinned = {wheel.name.lower(): wheel.version for wheel in manifest.wheels}
    try:
        here = metadata.version("xlwings")
    except metadata.PackageNotFoundError:
        raise BuildError("the add-in is written with xlwings: install xlwings "
                         f"{pinned.get('xlwings')} for this build") from None
    if pinned.get("xlwings") != here:
        raise BuildError(f"the payload bundles xlwings {pinned.get('xlwings')} but this build "
                         f"runs xlwings {here}: the add-in's runtime must match the bundled "
                         f"DLL (pip install xlwings=={pinned.get('xlwings')})")
    out = payload.root / ADDIN
    environment = {**os.environ, "PYTHONPATH": str(project / "src")}
    result = subprocess.run([sys.executable, "-m", "clusterbook", "excel", "addin", "--out",
                             str(out), "--interpreter", ADDIN_INTERPRETER],
                            capture_output=True, text=True, env=environment, check=False)
    if result.returncode != 0:
        said = (result.stderr.strip().splitlines() or ["no message"])[-1]
        raise BuildError(f"'clusterbook excel addin' could not write the add-in: {said}")
    return out
