r"""Excel set up for ClusterBook's worksheet functions and buttons (the xlwings add-in).

On Windows, :func:`setup` does what ``xlwings addin install`` and the add-in's settings do,
as plain file work that needs no running Excel:

1. it copies the xlwings add-in (``xlwings.xlam``, shipped inside the xlwings package) into
   the user's Excel start-up folder, ``%APPDATA%\Microsoft\Excel\XLSTART``, which Excel opens
   at every start;
2. it writes the user's xlwings settings, ``%USERPROFILE%\.xlwings\xlwings.conf`` (lines of
   ``"KEY","value"``): ``INTERPRETER_WIN`` (the Python that runs ClusterBook), ``UDF MODULES``
   (``clusterbook.udfs`` is added; other modules stay) and, when ClusterBook runs from a
   source folder, ``PYTHONPATH``. Every other line of the file is kept as it was.

Running it again changes nothing. What the set-up did is recorded in
``%APPDATA%\ClusterBook\excel-setup.json`` (whether it installed the add-in, the value each
setting had before), so that :func:`remove` undoes exactly that: the add-in goes only if the
set-up put it there and nothing else uses it, a setting the set-up replaced gets its old value
back, and the user's other settings stay. Classic worksheet functions (xlwings UDFs) exist only
in Excel on Windows; the native formulas of the ClusterBook templates work everywhere.
"""

from __future__ import annotations

import codecs
import contextlib
import filecmp
import hashlib
import importlib.util
import json
import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

from clusterbook import __version__
from clusterbook.domain.errors import ClusterBookError, InputError, WorkbookError
from clusterbook.excel.write import atomic_path

UDF_MODULE: Final = "clusterbook.udfs"
ADDIN_NAME: Final = "xlwings.xlam"
RECORD_NAME: Final = "excel-setup.json"
#: The keys xlwings reads from its settings file (upper case, as its ribbon writes them).
INTERPRETER_KEY: Final = "INTERPRETER_WIN"
UDF_MODULES_KEY: Final = "UDF MODULES"
PYTHONPATH_KEY: Final = "PYTHONPATH"
SHOWN_KEYS: Final = (INTERPRETER_KEY, UDF_MODULES_KEY, PYTHONPATH_KEY, "CONDA PATH",
                     "CONDA ENV", "DEBUG UDFS", "USE UDF SERVER")
_ENTRY: Final = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"')

SYSTEM_NAMES: Final = {"windows": "Windows", "macos": "macOS", "linux": "Linux"}
AVAILABILITY: Final = {
    "windows": (
        "Worksheet functions (=CLUSTER_STATUS(), =CLUSTER_FLAGS(), =PCA_BENCHMARK(), "
        "=MICROPLAN_CHECK(), =CCPM_SCORE(), =CCPM_STATUS()) work in Excel on Windows once the "
        "xlwings add-in is set up.",
        "The buttons (VBA macros in the 'macros' folder) call ClusterBook through the same "
        "add-in.",
        "The native formulas of the ClusterBook templates work with or without it.",
    ),
    "macos": (
        "Worksheet functions (xlwings UDFs) are not available in Excel for Mac: xlwings "
        "supports them on Windows only.",
        "The native formulas of the ClusterBook templates (the Status sheet) work in Excel for "
        "Mac without any add-in.",
        "The buttons (RunPython macros) need xlwings' own Mac set-up, which ClusterBook does "
        "not do; use the clusterbook command or the launcher instead.",
    ),
    "linux": (
        "Worksheet functions (xlwings UDFs) need Excel on Windows; there is no Excel on Linux.",
        "The native formulas of the ClusterBook templates work in LibreOffice Calc.",
        "Everything else works here through the clusterbook command and the launcher.",
    ),
}

NEXT_STEPS: Final = (
    "In Excel, once: File > Options > Trust Center > Trust Center Settings > Macro Settings: "
    "tick 'Trust access to the VBA project object model'.",
    "In each workbook: Alt+F11, Tools > References, tick 'xlwings'; then on the xlwings tab "
    "click 'Import Functions' and save the book as .xlsm.",
    "Then type =CLUSTER_STATUS( in a cell. See docs/excel-addin.md.",
)


def system_name(platform: str | None = None) -> str:
    """'windows', 'macos' or 'linux' (any other system is treated as Linux)."""
    platform = sys.platform if platform is None else platform
    if platform.startswith("win"):
        return "windows"
    return "macos" if platform == "darwin" else "linux"


@dataclass(frozen=True)
class UserFolders:
    """The folders of one Windows user that the set-up writes to."""

    home: Path  # %USERPROFILE%
    appdata: Path  # %APPDATA% (roaming)

    @classmethod
    def of_current_user(cls, environ: Mapping[str, str] | None = None) -> UserFolders:
        """The current user's folders, from the environment as xlwings' VBA reads them."""
        environ = os.environ if environ is None else environ
        home = Path(environ.get("USERPROFILE") or Path.home())
        return cls(home, Path(environ.get("APPDATA") or home / "AppData" / "Roaming"))

    @property
    def config_file(self) -> Path:
        """Where xlwings looks for the user's settings on Windows."""
        return self.home / ".xlwings" / "xlwings.conf"

    @property
    def xlstart(self) -> Path:
        """Excel's start-up folder for this user (Application.StartupPath)."""
        return self.appdata / "Microsoft" / "Excel" / "XLSTART"

    @property
    def addin(self) -> Path:
        return self.xlstart / ADDIN_NAME

    @property
    def record_file(self) -> Path:
        """Where the set-up records what it did, for :func:`remove`."""
        return self.appdata / "ClusterBook" / RECORD_NAME


def bundled_addin() -> Path:
    """The add-in that ships with the installed xlwings package (its version matches)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise ClusterBookError("the xlwings package is not installed; reinstall ClusterBook")
    path = Path(spec.origin).parent / "addin" / ADDIN_NAME
    if not path.is_file():
        raise ClusterBookError(f"the xlwings package has no add-in at {path}; reinstall "
                               f"ClusterBook")
    return path


def xlwings_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xlwings")
    except PackageNotFoundError:
        return ""


def source_folder() -> Path | None:
    """The folder to put on PYTHONPATH when ClusterBook runs from a source checkout (not from
    site-packages), so that Excel's Python finds it too; None when installed."""
    folder = Path(__file__).resolve().parents[2]
    return None if folder.name in ("site-packages", "dist-packages") else folder


def macros_folder() -> Path | None:
    """Where the buttons' VBA modules (.bas) are: inside the installed package, or the
    'macros' folder of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for folder in (package / "macros_vba", package.parents[1] / "macros"):
        if folder.is_dir() and any(folder.glob("*.bas")):
            return folder
    return None


# -- the settings file ---------------------------------------------------------------------

def read_settings(path: Path, encoding: str | None = None) -> dict[str, str]:
    """The settings in an xlwings.conf file, keys upper case (as xlwings compares them)."""
    if not path.is_file():
        return {}
    settings: dict[str, str] = {}
    for line in path.read_text(encoding=encoding or _encoding(), errors="replace").splitlines():
        match = _ENTRY.match(line)
        if match:
            settings.setdefault(match.group(1).upper(), match.group(2))
    return settings


def updated_settings_text(text: str, changes: Mapping[str, str | None]) -> str:
    """The settings file's text with ``changes`` made: a key's line is replaced where it is
    (or removed, for None), a new key is added at the end, and every other line is kept as it
    was."""
    lines, done = [], set()
    for line in text.splitlines():
        match = _ENTRY.match(line)
        key = match.group(1).upper() if match else None
        if key in changes:
            value = changes[key]
            if key not in done and value is not None:
                lines.append(_entry(key, value))
            done.add(key)
            continue
        lines.append(line)
    lines.extend(_entry(key, value) for key, value in changes.items()
                 if key not in done and value is not None)
    return "\r\n".join(lines) + "\r\n" if lines else ""


def _entry(key: str, value: str) -> str:
    if '"' in value:
        raise InputError(f"the setting {key} cannot hold a double quote: {value}")
    return f'"{key}","{value}"'


def with_item(items: str, item: str) -> str:
    """A ';'-separated list (UDF MODULES, PYTHONPATH) with ``item`` in it, others kept."""
    parts = [part.strip() for part in items.split(";") if part.strip()]
    return ";".join(parts if item in parts else [*parts, item])


def without_item(items: str, item: str) -> str:
    """A ';'-separated list without ``item``, others kept in their order."""
    return ";".join(part for part in _items(items) if part != item)


def _items(items: str) -> list[str]:
    return [part.strip() for part in items.split(";") if part.strip()]


def _encoding() -> str:
    # Excel's VBA reads the file in the system's ANSI code page ("mbcs" exists on Windows).
    try:
        return codecs.lookup("mbcs").name
    except LookupError:
        return "utf-8"


# -- set-up and status ---------------------------------------------------------------------

@dataclass(frozen=True)
class SetupReport:
    """What the set-up did, one sentence each."""

    done: list[str]

    def text(self) -> str:
        return "\n".join([*self.done, "", "Next:", *(f"  {step}" for step in NEXT_STEPS)])


def setup(folders: UserFolders, interpreter: Path | str | None = None, *,
          platform: str | None = None, encoding: str | None = None) -> SetupReport:
    """Install the xlwings add-in for the user and write their xlwings settings (Windows).

    Idempotent and non-interactive. Raises ClusterBookError on other systems, when the
    interpreter does not exist, or when Excel holds the add-in open.
    """
    system = system_name(platform)
    if system != "windows":
        raise ClusterBookError(f"the Excel add-in is set up on Windows only. "
                               f"{' '.join(AVAILABILITY[system])}")
    python = Path(interpreter) if interpreter else Path(sys.executable)
    if not python.is_file():
        raise InputError(f"the Python interpreter {python} does not exist; give its full "
                         f"path with --interpreter")
    record = _read_record(folders)
    addin_done = _install_addin(folders, record)
    settings_done = _write_settings(folders, python, encoding, record)
    _write_record(folders, record)
    return SetupReport([addin_done, settings_done])


def _install_addin(folders: UserFolders, record: dict[str, Any]) -> str:
    source, target = bundled_addin(), folders.addin
    mine = record.get("addin", {}).get("installed", not target.exists())
    record["addin"] = {"path": str(target), "installed": bool(mine),
                       "sha256": _sha256(source)}
    if target.is_file() and filecmp.cmp(source, target, shallow=False):
        return f"The xlwings add-in is already installed: {target}"
    replacing = target.exists()
    try:
        with atomic_path(target) as temporary:
            shutil.copyfile(source, temporary)
    except (PermissionError, WorkbookError):
        raise WorkbookError(ADDIN_NAME, f"{target} cannot be written (Excel may have the "
                                        f"add-in open); close Excel and run 'clusterbook "
                                        f"excel setup' again") from None
    verb = "Updated" if replacing else "Installed"
    return f"{verb} the xlwings add-in {xlwings_version()}: {target}"


def _write_settings(folders: UserFolders, python: Path, encoding: str | None,
                    record: dict[str, Any]) -> str:
    path, encoding = folders.config_file, encoding or _encoding()
    before = path.read_bytes().decode(encoding, errors="replace") if path.is_file() else ""
    current = read_settings(path, encoding)
    changes = {INTERPRETER_KEY: str(python.resolve()),
               UDF_MODULES_KEY: with_item(current.get(UDF_MODULES_KEY, ""), UDF_MODULE)}
    items = {UDF_MODULES_KEY: UDF_MODULE}
    source = source_folder()
    if source is not None:
        changes[PYTHONPATH_KEY] = with_item(current.get(PYTHONPATH_KEY, ""), str(source))
        items[PYTHONPATH_KEY] = str(source)
    _note_settings(record, current, changes[INTERPRETER_KEY], items)
    text = updated_settings_text(before, changes)
    if text == before:
        return f"The xlwings settings are already right: {path}"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        raise InputError(f"the path {python} has letters Excel's add-in cannot read; install "
                         f"Python in a folder whose name has plain letters") from None
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
    shown = ", ".join(f"{key} = {value}" for key, value in changes.items())
    return f"Wrote the xlwings settings {path}: {shown}"


def _note_settings(record: dict[str, Any], current: Mapping[str, str], interpreter: str,
                   items: Mapping[str, str]) -> None:
    """Record what the set-up writes: the interpreter and the value it replaces (kept from
    the first set-up), and each list item it adds to a list that did not hold it."""
    settings = record.setdefault("settings", {})
    first = settings.get(INTERPRETER_KEY, {"before": current.get(INTERPRETER_KEY)})
    settings[INTERPRETER_KEY] = {"value": interpreter, "before": first["before"]}
    for key, item in items.items():
        noted = settings.get(key)
        added = item not in _items(current.get(key, ""))
        if noted is None or noted.get("item") != item:
            settings[key] = {"item": item, "added": added}
        else:
            noted["added"] = noted["added"] or added


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_record(folders: UserFolders) -> dict[str, Any]:
    """What earlier set-ups recorded ({} when none did, or the record cannot be read)."""
    try:
        record = json.loads(folders.record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _write_record(folders: UserFolders, record: dict[str, Any]) -> None:
    text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
    path = folders.record_file
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    with atomic_path(path) as temporary:
        temporary.write_text(text, encoding="utf-8")


# -- removal ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RemoveReport:
    """What the removal did, one sentence each."""

    done: list[str]

    def text(self) -> str:
        return "\n".join(self.done)


def remove(folders: UserFolders, *, platform: str | None = None,
           encoding: str | None = None) -> RemoveReport:
    """Undo :func:`setup` for the user (Windows): remove ClusterBook's entries from the
    xlwings settings (a setting the set-up replaced gets its old value back; the file goes when
    nothing else is left in it) and the add-in from Excel's start-up folder when the set-up
    installed it and no other UDF module uses it.

    Without a record of the set-up, the entries ClusterBook writes are recognised by their
    values (this Python, ``clusterbook.udfs``, this source folder) and the add-in by being
    xlwings' own. Idempotent and non-interactive; raises WorkbookError when Excel holds the
    add-in open (nothing is changed then).
    """
    system = system_name(platform)
    if system != "windows":
        raise ClusterBookError(f"the Excel add-in is set up on Windows only; there is nothing "
                               f"to remove on {SYSTEM_NAMES[system]}")
    record = _read_record(folders)
    path, encoding = folders.config_file, encoding or _encoding()
    before = path.read_bytes().decode(encoding, errors="replace") if path.is_file() else ""
    current = read_settings(path, encoding)
    changes, undone = _settings_to_undo(record, current)
    text = updated_settings_text(before, changes)
    remaining = _items(current.get(UDF_MODULES_KEY, "")) if UDF_MODULES_KEY not in changes \
        else _items(changes[UDF_MODULES_KEY] or "")
    done = [_remove_addin(folders, record, remaining)]
    if text != before:
        if text.strip():
            with atomic_path(path) as temporary:
                temporary.write_bytes(text.encode(encoding))
            done.append(f"Removed ClusterBook's settings ({', '.join(undone)}) from {path}; "
                        f"the other settings are kept")
        else:
            path.unlink()
            with contextlib.suppress(OSError):
                path.parent.rmdir()  # only when empty
            done.append(f"Removed the xlwings settings {path}: only ClusterBook's were in it")
    elif path.is_file():
        done.append(f"The xlwings settings hold nothing of ClusterBook's: {path}")
    if folders.record_file.exists():
        folders.record_file.unlink()
        with contextlib.suppress(OSError):
            folders.record_file.parent.rmdir()
    done = [line for line in done if line]
    return RemoveReport(done or ["Nothing of ClusterBook's is set up for Excel for this user"])


def _settings_to_undo(record: Mapping[str, Any], current: Mapping[str, str]
                      ) -> tuple[dict[str, str | None], list[str]]:
    """The changes that take ClusterBook's settings out (None removes a line), and their
    keys."""
    noted = record.get("settings", {})
    changes: dict[str, str | None] = {}
    interpreter = noted.get(INTERPRETER_KEY) or {
        "value": str(Path(sys.executable).resolve()), "before": None}
    restored = []
    if current.get(INTERPRETER_KEY) == interpreter["value"]:
        changes[INTERPRETER_KEY] = interpreter["before"] or None
        if interpreter["before"]:
            restored.append(INTERPRETER_KEY)
    source = source_folder()
    defaults = {UDF_MODULES_KEY: UDF_MODULE, PYTHONPATH_KEY: str(source) if source else None}
    for key, default in defaults.items():
        entry = noted.get(key) or ({"item": default, "added": True} if default else None)
        if not entry or not entry["added"]:
            continue
        items = _items(current.get(key, ""))
        if entry["item"] in items:
            changes[key] = without_item(current[key], entry["item"]) or None
    return changes, [f"{key} back to its earlier value" if key in restored else key
                     for key in changes]


def _remove_addin(folders: UserFolders, record: Mapping[str, Any],
                  other_modules: list[str]) -> str:
    target = folders.addin
    if not target.is_file():
        return ""
    noted = record.get("addin")
    if noted is not None:
        ours = bool(noted.get("installed")) and _sha256(target) == noted.get("sha256")
        why = "ClusterBook's set-up did not install it (it was there before)" \
            if not noted.get("installed") else "it has changed since ClusterBook installed it"
    else:
        try:
            ours = filecmp.cmp(bundled_addin(), target, shallow=False)
        except ClusterBookError:
            ours = False
        why = "it is not the add-in ClusterBook installs"
    if ours and other_modules:
        ours, why = False, (f"other worksheet functions still use it (UDF MODULES: "
                            f"{';'.join(other_modules)})")
    if not ours:
        return f"Kept the xlwings add-in {target}: {why}"
    try:
        target.unlink()
    except PermissionError:
        raise WorkbookError(ADDIN_NAME, f"{target} cannot be removed (Excel may have the "
                                        f"add-in open); close Excel and run 'clusterbook "
                                        f"excel remove' again (nothing was changed)") from None
    return f"Removed the xlwings add-in {target}"


@dataclass
class ExcelStatus:
    """What is set up for Excel, for `clusterbook excel status` (text or JSON)."""

    system: str
    worksheet_functions: bool
    ready: bool
    addin: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    interpreter: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    macros_folder: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        lines = [f"ClusterBook {self.versions['clusterbook']} on {SYSTEM_NAMES[self.system]}, "
                 f"xlwings {self.versions['xlwings'] or 'not installed'}"]
        if self.system == "windows":
            addin = self.addin
            state = ("installed" if addin["current"] else "installed, but not the version of "
                     "the xlwings package (run 'clusterbook excel setup')") \
                if addin["installed"] else "not installed (run 'clusterbook excel setup')"
            lines.append(f"xlwings add-in: {state} — {addin['path']}")
            settings = self.settings
            lines.append(f"xlwings settings: {settings['path']}"
                         + ("" if settings["exists"] else " (not written yet)"))
            for key, value in settings["values"].items():
                lines.append(f"  {key} = {value}")
            if not settings["udf_module_configured"]:
                lines.append(f"  UDF MODULES does not name {UDF_MODULE}: the functions will not "
                             f"be found (run 'clusterbook excel setup')")
            interpreter = self.interpreter
            if interpreter["path"] and not interpreter["exists"]:
                lines.append(f"  the interpreter {interpreter['path']} does not exist")
            lines.append("Ready for =CLUSTER_STATUS(): "
                         + ("yes" if self.ready else "no"))
        if self.macros_folder:
            lines.append(f"Buttons (VBA modules to import): {self.macros_folder}")
        lines.extend(self.notes)
        return "\n".join(lines)


def status(folders: UserFolders | None = None, *, platform: str | None = None,
           encoding: str | None = None) -> ExcelStatus:
    """What is and is not set up for Excel, and what is available on this system."""
    system = system_name(platform)
    versions = {"clusterbook": __version__, "xlwings": xlwings_version(),
                "python": sys.version.split()[0]}
    macros = macros_folder()
    result = ExcelStatus(system, system == "windows", False, versions=versions,
                         macros_folder=str(macros) if macros else None,
                         notes=list(AVAILABILITY[system]))
    if system != "windows":
        return result
    folders = folders or UserFolders.of_current_user()
    try:
        source: Path | None = bundled_addin()
    except ClusterBookError:
        source = None
    installed = folders.addin.is_file()
    current = bool(installed and source and filecmp.cmp(source, folders.addin, shallow=False))
    values = read_settings(folders.config_file, encoding)
    modules = [part.strip() for part in values.get(UDF_MODULES_KEY, "").split(";")]
    interpreter = values.get(INTERPRETER_KEY, "")
    result.addin = {"path": str(folders.addin), "installed": installed, "current": current}
    result.settings = {"path": str(folders.config_file),
                       "exists": folders.config_file.is_file(),
                       "values": {key: values[key] for key in SHOWN_KEYS if key in values},
                       "udf_module_configured": UDF_MODULE in modules}
    result.interpreter = {"path": interpreter,
                          "exists": bool(interpreter) and Path(interpreter).is_file()}
    result.ready = current and UDF_MODULE in modules and result.interpreter["exists"]
    return result
