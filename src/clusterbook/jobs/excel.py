"""The Excel jobs: set the add-in up for this user, take the set-up away, say what is set up,
and write the add-in file. The command line's ``clusterbook excel`` and the launcher's Excel
page call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from clusterbook.excel import addin, addin_file
from clusterbook.jobs.progress import Progress, unheard


@dataclass(frozen=True)
class ExcelSetupRequest:
    """Set the add-in up for the current user, or take the set-up away."""

    #: The add-in to register (default: the one installed with ClusterBook, or one written for
    #: this Python).
    addin: Path | None = None
    #: The system to act for (None: this computer).
    platform: str | None = None


@dataclass(frozen=True)
class ExcelSetupResult:
    """What the set-up or its removal did, one sentence a line; nothing is done (``done`` is
    false) on a system without Excel's worksheet functions."""

    done: bool
    lines: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "\n".join(self.lines)


def set_up_excel(request: ExcelSetupRequest, progress: Progress | None = None
                 ) -> ExcelSetupResult:
    """Register the ClusterBook add-in for the user (Windows); elsewhere, say what there is."""
    system = addin.system_name(request.platform)
    if system != "windows":
        return ExcelSetupResult(False, [
            f"Nothing to set up on {addin.SYSTEM_NAMES[system]}: the Excel add-in is for "
            f"Windows.", *addin.AVAILABILITY[system]])
    report = progress or unheard
    report(0, 1, "Setting up Excel")
    done = addin.setup(addin.UserFolders.of_current_user(), request.addin,
                       platform=request.platform)
    report(1, 1, "Done")
    return ExcelSetupResult(True, done.text().splitlines())


def remove_excel_setup(request: ExcelSetupRequest, progress: Progress | None = None
                       ) -> ExcelSetupResult:
    """Undo the set-up: the add-in leaves the user's list of Excel add-ins."""
    system = addin.system_name(request.platform)
    if system != "windows":
        return ExcelSetupResult(False, [
            f"Nothing to remove on {addin.SYSTEM_NAMES[system]}: the Excel add-in is set up "
            f"on Windows only."])
    report = progress or unheard
    report(0, 1, "Removing the Excel set-up")
    done = addin.remove(addin.UserFolders.of_current_user(), platform=request.platform)
    report(1, 1, "Done")
    return ExcelSetupResult(True, list(done.done))


def excel_status(platform: str | None = None) -> addin.ExcelStatus:
    """What is set up for this user, and what this system offers."""
    return addin.status(platform=platform)


@dataclass(frozen=True)
class AddinRequest:
    """Write ``ClusterBook.xlam`` to ``out``, its functions run by ``interpreter`` (default:
    the Python beside the add-in, as the installer lays it out)."""

    out: Path
    interpreter: str | None = None
    #: Folders Python also imports from (a source checkout), as the add-in's setting holds
    #: them.
    pythonpath: str = ""


@dataclass(frozen=True)
class AddinResult:
    path: Path
    interpreter: str


def write_addin(request: AddinRequest, progress: Progress | None = None) -> AddinResult:
    """Build the add-in file from ClusterBook's sources."""
    report = progress or unheard
    settings = addin_file.AddinSettings(request.interpreter or addin_file.default_interpreter(),
                                        request.pythonpath)
    report(0, 1, f"Writing {request.out.name}")
    path = addin_file.build_addin(request.out, settings)
    report(1, 1, "Done")
    return AddinResult(path, settings.interpreter)
