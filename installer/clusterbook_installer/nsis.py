"""Compiling ``installer/clusterbook.nsi`` with makensis (Debian's ``nsis`` package works)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from clusterbook_installer import BuildError
from clusterbook_installer.icon import wizard_bitmap
from clusterbook_installer.target import Target

SCRIPT = Path(__file__).resolve().parent.parent / "clusterbook.nsi"


def makensis() -> str:
    found = shutil.which("makensis")
    if found is None:
        raise BuildError("makensis is not installed (Debian/Ubuntu: apt-get install nsis; "
                         "Windows: install NSIS 3 and put makensis.exe on PATH).")
    return found


def compile_installer(payload: Path, out_file: Path, version: str, target: Target,
                      script: Path = SCRIPT) -> str:
    """Run makensis on the script for ``payload``; returns makensis's output."""
    out_file.parent.mkdir(parents=True, exist_ok=True)
    bitmap = out_file.with_name("wizard.bmp")
    bitmap.write_bytes(wizard_bitmap())
    command = [
        makensis(), "-V2", "-WX",
        f"-DVERSION={version}",
        f"-DPAYLOAD={payload.resolve()}",
        f"-DOUTFILE={out_file.resolve()}",
        f"-DPYTHON_DLL=python{target.short}.dll",
        f"-DWIZARD_BITMAP={bitmap.resolve()}",
        str(script),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"makensis failed on {script.name}:\n{result.stdout}{result.stderr}")
    return result.stdout
