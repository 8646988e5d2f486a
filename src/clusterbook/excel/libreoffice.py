"""Headless LibreOffice: recalculate a book's formulas, or render it to PDF.

LibreOffice does not recalculate an .xlsx on load by default, and XlsxWriter stores 0 as every
formula's cached value; so every call here runs with a private profile whose load settings say
"always recalculate". Each call gets its own profile folder, so calls may run side by side.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from clusterbook.domain.errors import WorkbookError

_ALWAYS_RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
  <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _convert(source: Path, out_dir: Path, target: str, timeout: float) -> Path:
    program = soffice()
    if program is None:
        raise WorkbookError(source.name, "LibreOffice is not installed, so the book cannot be "
                                         "recalculated or rendered here")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="clusterbook-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_ALWAYS_RECALCULATE, encoding="utf-8")
        command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                   "--norestore", "--nolockcheck", "--convert-to", target,
                   "--outdir", str(out_dir), str(source)]
        environment = {**os.environ, "HOME": profile}
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                                    env=environment, check=False)
        except subprocess.TimeoutExpired:
            raise WorkbookError(source.name, f"LibreOffice took more than {timeout:.0f} s") \
                from None
    produced = out_dir / f"{source.stem}.{target.split(':')[0]}"
    if result.returncode != 0 or not produced.exists():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise WorkbookError(source.name, "LibreOffice could not convert the book"
                            + (f" ({detail[-1]})" if detail else ""))
    return produced


def recalculate(source: Path | str, out_dir: Path | str, *, timeout: float = 300) -> Path:
    """Open ``source`` in LibreOffice, recalculate every formula, save an .xlsx in ``out_dir``.

    The copy holds LibreOffice's computed values as the formulas' cached values, which any
    reader (openpyxl with ``data_only=True``, python-calamine) then sees. ``source`` is never
    modified; ``out_dir`` must differ from its folder.
    """
    source, out_dir = Path(source), Path(out_dir)
    if out_dir.resolve() == source.parent.resolve():
        raise ValueError("out_dir must not be the source's own folder")
    return _convert(source, out_dir, "xlsx:Calc MS Excel 2007 XML", timeout)


def to_pdf(source: Path | str, out_dir: Path | str, *, timeout: float = 300) -> Path:
    """Render a book to PDF (every sheet, as it would print) after recalculating it."""
    return _convert(Path(source), Path(out_dir), "pdf", timeout)
