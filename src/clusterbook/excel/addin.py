r"""Excel set up for ClusterBook: the ClusterBook add-in registered for the current user.

:func:`setup` adds ``ClusterBook.xlam`` (see :mod:`clusterbook.excel.addin_file`) to the
user's list of Excel add-ins (:mod:`clusterbook.excel.addin_list`: the ``OPEN`` values Excel's
Add-ins dialog writes), so that Excel loads it at every start: the worksheet functions work in
every workbook and the ClusterBook tab is on the ribbon. The installed add-in sits beside
ClusterBook's own Python; a ClusterBook installed with pip gets one written to
``%APPDATA%\ClusterBook`` for the Python that runs it.

Nothing of xlwings' is read or changed: a user's own ``XLSTART\xlwings.xlam`` and
``%USERPROFILE%\.xlwings\xlwings.conf`` stay byte for byte as they are, and their xlwings
functions keep running under their own Python. (An earlier ClusterBook did change those two
files; its record is honoured once, see :mod:`clusterbook.excel.earlier_setup`.)

Excel rewrites its add-in list when it closes, so both :func:`setup` and :func:`remove` refuse
to run while Excel is open. What the set-up did is recorded in
``%APPDATA%\ClusterBook\excel-setup.json`` so that :func:`remove` undoes exactly that.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from clusterbook import __version__
from clusterbook.domain.errors import ClusterBookError, InputError
from clusterbook.excel import addin_list, earlier_setup
from clusterbook.excel.write import atomic_path

UDF_MODULE: Final = "clusterbook.udfs"
ADDIN_FILE: Final = "ClusterBook.xlam"
RECORD_NAME: Final = "excel-setup.json"
FUNCTIONS: Final = ("CLUSTER_STATUS", "CLUSTER_FLAGS", "PCA_BENCHMARK", "MICROPLAN_CHECK",
                    "CCPM_SCORE", "CCPM_STATUS")

SYSTEM_NAMES: Final = {"windows": "Windows", "macos": "macOS", "linux": "Linux"}
AVAILABILITY: Final = {
    "windows": (
        f"Worksheet functions ({', '.join(f'={name}()' for name in FUNCTIONS)}) work in every "
        "workbook in Excel on Windows once the ClusterBook add-in is set up.",
        "The ClusterBook tab on the ribbon holds the buttons: Refresh flags, Validate this "
        "microplan, Merge the submissions in a folder, Open the launcher, Help.",
        "The native formulas of the ClusterBook templates work with or without it.",
    ),
    "macos": (
        "Worksheet functions (xlwings UDFs) are not available in Excel for Mac: xlwings "
        "supports them on Windows only.",
        "The native formulas of the ClusterBook templates (the Status sheet) work in Excel for "
        "Mac without any add-in.",
        "The buttons need the ClusterBook add-in in Excel on Windows; use the clusterbook "
        "command or the launcher instead.",
    ),
    "linux": (
        "Worksheet functions (xlwings UDFs) need Excel on Windows; there is no Excel on Linux.",
        "The native formulas of the ClusterBook templates work in LibreOffice Calc.",
        "Everything else works here through the clusterbook command and the launcher.",
    ),
}
#: The guide's page on the add-in, as an officer finds it in the installed or published guide.
GUIDE_PAGE: Final = ("the page 'ClusterBook in Excel: worksheet functions and buttons' of the "
                     "ClusterBook guide")
NEXT_STEPS: Final = (
    "Start Excel: the ClusterBook tab is on the ribbon.",
    "In any workbook, new or old, .xlsx included, type =CLUSTER_STATUS( in a cell.",
    f"Nothing to import, no reference to tick, no macro-enabled copy. See {GUIDE_PAGE}.",
)

#: Opens one registry key's values of the current user (a subkey of HKEY_CURRENT_USER).
KeyOpener = Callable[[str], MutableMapping[str, str]]


def system_name(platform: str | None = None) -> str:
    """'windows', 'macos' or 'linux' (any other system is treated as Linux)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return "windows"
    return "macos" if platform == "darwin" else "linux"


class FileKeys:
    """Registry keys kept in a JSON file, where there is no Windows registry (the set-up's
    rules then run the same on any system)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, subkey: str) -> MutableMapping[str, str]:
        return _FileKey(self.path, subkey)


class _FileKey(MutableMapping[str, str]):
    def __init__(self, path: Path, subkey: str) -> None:
        self.path, self.subkey = path, subkey

    def _all(self) -> dict[str, dict[str, str]]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return {}

    def _values(self) -> dict[str, str]:
        return dict(self._all().get(self.subkey, {}))

    def _save(self, values: dict[str, str]) -> None:
        keys = self._all()
        keys[self.subkey] = values
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(self.path) as temporary:
            temporary.write_text(json.dumps(keys, indent=2), encoding="utf-8")

    def __getitem__(self, name: str) -> str:
        return self._values()[name]

    def __setitem__(self, name: str, data: str) -> None:
        self._save({**self._values(), name: data})

    def __delitem__(self, name: str) -> None:
        values = self._values()
        del values[name]
        self._save(values)

    def __iter__(self) -> Any:
        return iter(self._values())

    def __len__(self) -> int:
        return len(self._values())


@dataclass(frozen=True)
class UserFolders:
    """The folders and registry of one Windows user that the set-up works with."""

    home: Path  # %USERPROFILE%
    appdata: Path  # %APPDATA% (roaming)
    keys: KeyOpener | None = None  # None: the Windows registry (a file elsewhere)

    @classmethod
    def of_current_user(cls, environ: Mapping[str, str] | None = None) -> UserFolders:
        """The current user's folders, from the environment."""
        environ = os.environ if environ is None else environ
        home = Path(environ.get("USERPROFILE") or Path.home())
        return cls(home, Path(environ.get("APPDATA") or home / "AppData" / "Roaming"))

    def key(self, subkey: str) -> MutableMapping[str, str]:
        if self.keys is not None:
            return self.keys(subkey)
        if sys.platform.startswith("win"):
            return addin_list.WindowsAddinList(subkey)
        return FileKeys(self.appdata / "ClusterBook" / "registry.json")(subkey)

    @property
    def xlwings_config(self) -> Path:
        """The user's own xlwings settings (never changed by this set-up)."""
        return self.home / ".xlwings" / "xlwings.conf"

    @property
    def xlwings_addin(self) -> Path:
        """The user's own xlwings add-in, if any (never changed by this set-up)."""
        return self.appdata / "Microsoft" / "Excel" / "XLSTART" / "xlwings.xlam"

    @property
    def own_addin(self) -> Path:
        """Where the set-up writes an add-in when ClusterBook has no installed one."""
        return self.appdata / "ClusterBook" / ADDIN_FILE

    @property
    def record_file(self) -> Path:
        return self.appdata / "ClusterBook" / RECORD_NAME


def installed_addin() -> Path | None:
    """The add-in the installer put beside ClusterBook's Python (None elsewhere)."""
    candidate = Path(sys.executable).resolve().parent.parent / ADDIN_FILE
    return candidate if candidate.is_file() else None


def excel_running(platform: str | None = None) -> bool:
    """Whether Excel runs for this user (its main window class is XLMAIN)."""
    if system_name(platform) != "windows" or not sys.platform.startswith("win"):
        return False
    import ctypes

    return bool(ctypes.windll.user32.FindWindowW("XLMAIN", None))  # type: ignore[attr-defined]


def _refuse_while_excel_runs(what: str, platform: str | None) -> None:
    if excel_running(platform):
        raise ClusterBookError(f"Excel is open. Close every Excel window, then {what} again "
                               f"(Excel rewrites its list of add-ins when it closes)")


# -- set-up ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SetupReport:
    """What the set-up did, one sentence each."""

    done: list[str]

    def text(self) -> str:
        return "\n".join([*self.done, "", "Next:", *(f"  {step}" for step in NEXT_STEPS)])


def setup(folders: UserFolders, addin: Path | None = None, *,
          platform: str | None = None) -> SetupReport:
    """Register the ClusterBook add-in for the user (Windows): ``addin``, or the installed
    one, or one written for this Python. Idempotent; asks nothing."""
    system = system_name(platform)
    if system != "windows":
        raise ClusterBookError(f"the Excel add-in is set up on Windows only. "
                               f"{' '.join(AVAILABILITY[system])}")
    _refuse_while_excel_runs("set up Excel", platform)
    done: list[str] = []
    record = _read_record(folders)
    if earlier_setup.has_earlier_setup(record):
        done += earlier_setup.undo(folders.xlwings_config, folders.xlwings_addin, record)
        record = {}
    path = addin or installed_addin()
    if path is None:
        from clusterbook.excel.addin_file import build_addin

        path = build_addin(folders.own_addin)
        record["built"] = str(path)
        done.append(f"Wrote the ClusterBook add-in for this Python: {path}")
    elif not path.is_file():
        raise InputError(f"the add-in {path} does not exist")
    path = path.resolve()
    registered = record.setdefault("registered", [])
    for version in addin_list.excel_versions():
        key = addin_list.options_key(version)
        name = addin_list.register(folders.key(key), str(path))
        if name:
            registered.append({"key": key, "path": str(path)})
            done.append(f"Registered the ClusterBook add-in for Excel {version} "
                        f"(HKEY_CURRENT_USER\\{key}, {name}): {path}")
        else:
            done.append(f"The ClusterBook add-in is already registered for Excel {version}: "
                        f"{path}")
    _write_record(folders, record)
    done.append("Your own xlwings add-in and xlwings.conf, if any, are left as they are.")
    return SetupReport(done)


# -- removal ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RemoveReport:
    """What the removal did, one sentence each."""

    done: list[str]

    def text(self) -> str:
        return "\n".join(self.done)


def remove(folders: UserFolders, *, platform: str | None = None) -> RemoveReport:
    """Undo :func:`setup` for the user (Windows): take the add-in out of Excel's lists
    (the add-ins after it move up, so Excel still reaches them) and delete the add-in the
    set-up wrote. Idempotent; asks nothing."""
    system = system_name(platform)
    if system != "windows":
        raise ClusterBookError(f"the Excel add-in is set up on Windows only; there is nothing "
                               f"to remove on {SYSTEM_NAMES[system]}")
    _refuse_while_excel_runs("remove ClusterBook from Excel", platform)
    record = _read_record(folders)
    done: list[str] = []
    if earlier_setup.has_earlier_setup(record):
        done += earlier_setup.undo(folders.xlwings_config, folders.xlwings_addin, record)
    paths = {entry["path"] for entry in record.get("registered", [])}
    paths |= {str(path.resolve()) for path in (installed_addin(), folders.own_addin) if path}
    for version in addin_list.excel_versions():
        for path in sorted(paths):
            if addin_list.unregister(folders.key(addin_list.options_key(version)), path):
                done.append(f"Took the ClusterBook add-in out of Excel {version}'s add-ins: "
                            f"{path}")
            unticked = folders.key(addin_list.manager_key(version))
            for name in [name for name in unticked if addin_list.names_path(name, path)]:
                del unticked[name]
    built = record.get("built")
    if built and Path(built).is_file():
        Path(built).unlink()
        done.append(f"Removed the add-in written for this Python: {built}")
    if folders.record_file.exists():
        folders.record_file.unlink()
    with contextlib.suppress(OSError):
        folders.record_file.parent.rmdir()  # only when empty
    return RemoveReport(done or ["Nothing of ClusterBook's is set up for Excel for this user"])


def _read_record(folders: UserFolders) -> dict[str, Any]:
    """What earlier set-ups recorded ({} when none did, or the record cannot be read)."""
    try:
        record = json.loads(folders.record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _write_record(folders: UserFolders, record: dict[str, Any]) -> None:
    folders.record_file.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(folders.record_file) as temporary:
        temporary.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")


# -- status -------------------------------------------------------------------------------------

@dataclass
class ExcelStatus:
    """What is set up for Excel, for `clusterbook excel status` (text or JSON)."""

    system: str
    worksheet_functions: bool
    ready: bool
    addin: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        lines = [f"ClusterBook {self.versions['clusterbook']} on {SYSTEM_NAMES[self.system]}"]
        if self.system == "windows":
            addin = self.addin
            if addin["registered"]:
                lines.append(f"ClusterBook add-in: registered for Excel "
                             f"{', '.join(addin['registered'])} — {addin['path']}")
                if not addin["exists"]:
                    lines.append("  the add-in file is missing (run 'clusterbook excel "
                                 "setup' again)")
            else:
                lines.append("ClusterBook add-in: not registered (run 'clusterbook excel "
                             "setup')")
            lines.append("Ready for =CLUSTER_STATUS(): " + ("yes" if self.ready else "no"))
        lines.extend(self.notes)
        return "\n".join(lines)


def status(folders: UserFolders | None = None, *, platform: str | None = None) -> ExcelStatus:
    """What is and is not set up for Excel, and what is available on this system."""
    system = system_name(platform)
    versions = {"clusterbook": __version__, "python": sys.version.split()[0]}
    result = ExcelStatus(system, system == "windows", False, versions=versions,
                         notes=list(AVAILABILITY[system]))
    if system != "windows":
        return result
    folders = folders or UserFolders.of_current_user()
    record = _read_record(folders)
    candidates = [Path(entry["path"]) for entry in record.get("registered", [])]
    candidates += [path for path in (installed_addin(), folders.own_addin) if path]
    registered, found = [], candidates[0] if candidates else folders.own_addin
    for version in addin_list.excel_versions():
        values = folders.key(addin_list.options_key(version))
        listed = [values[name] for name in addin_list.open_values(values)]
        for path in candidates:
            if any(addin_list.names_path(data, str(path)) for data in listed):
                registered.append(version)
                found = path
                break
    result.addin = {"path": str(found), "registered": registered, "exists": found.is_file()}
    result.ready = bool(registered) and found.is_file()
    return result
