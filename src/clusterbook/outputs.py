"""Where a job may write: the one set of rules every command and the launcher follow.

- A job never writes over one of its inputs, nor over a form someone fills in (a microplan,
  an action plan, a CCPM workbook, a campaign data book) unless it writes that same form.
- A file a job replaces is kept first as ``NAME (old).xlsx`` (``NAME (old 2).xlsx`` when that
  name is taken), so nothing that was there is lost. The copy keeps the name's mark:
  ``X.checked.xlsx`` is kept as ``X (old).checked.xlsx``, still a checked copy, never read as a
  submission. A copy that holds exactly what was written again is dropped.
- ``--out X.xlsx`` names a file: a folder there, or another ending, is refused with a reason.
  A folder is asked for as a folder: a name ending like a file is refused, not made a folder.
- Names made from data (a province) become safe, unique file names.
- A job that fills a folder of its own (the demo) writes into a new or empty folder, or one it
  filled before (a record in the folder lists what it wrote); a folder holding anything else
  is refused. A new run replaces the earlier run's files: those changed since are kept as
  '(old)' copies, the others removed, so it starts as the first run did.

A refusal is a :class:`UsageError`: the command line asked for something it should not.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clusterbook.domain.errors import ClusterBookError

#: Endings that name a file, never a folder.
FILE_ENDINGS: Final = (".xlsx", ".xlsm", ".xls", ".csv", ".json", ".txt", ".ods", ".pdf")
#: The forms people fill in, by the id ClusterBook writes in a workbook's properties.
FORM_NAMES: Final = {"cesm-microplan": "a microplan", "lpc-action-plan": "an action plan",
                     "ccpm": "a CCPM workbook", "campaign-databook": "a campaign data book"}
#: Longest file name made from data, in UTF-8 bytes: leaves room for ' feedback (old 9).xlsx'
#: within the 255 bytes most file systems allow.
MAX_NAME_BYTES: Final = 120
_NOT_IN_NAMES: Final = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_RESERVED: Final = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)
_SUBJECT: Final = re.compile(rb"<dc:subject>([^<]*)</dc:subject>")
#: A name's ending: its extension, and before it a mark in lower-case letters ('.checked').
_ENDING: Final = re.compile(r"(?:\.[a-z]+)?\.[^.]+$")
#: The part of a workbook that changes at every save (its save time), whatever it holds.
_SAVE_TIME: Final = "docProps/core.xml"


class UsageError(ClusterBookError):
    """The command was asked for something it will not do (exit code 2); the message says
    what to type instead."""


def existing_input(path: Path, *, what: str = "file") -> Path:
    """``path`` when it exists as a ``what`` ('file' or 'folder'), else a UsageError saying so."""
    if what == "folder":
        if path.is_dir():
            return path
        if path.exists():
            raise UsageError(f"'{path}' is a file; give the folder that holds the workbooks")
        raise UsageError(f"'{path}': no such folder")
    if path.is_dir():
        raise UsageError(f"'{path}' is a folder; give a file")
    if not path.exists():
        raise UsageError(f"'{path}': no such file")
    return path


def output_file(out: Path, *, inputs: Iterable[Path] = (), endings: Sequence[str] = (".xlsx",),
                writes: str = "", keep_old: bool = True) -> Path | None:
    """Check that ``out`` may be written and keep what is there: returns the '(old)' copy
    made of an earlier file, or None.

    ``endings`` are the file endings this output may have (empty: any); ``writes`` is the form
    id the job writes, when it writes a form (then an earlier copy of that form is kept as an
    '(old)' copy rather than refused); ``keep_old`` False leaves an existing file for the job
    to handle (the merge keeps its own dated backups).
    """
    if out.is_dir():
        raise UsageError(f"'{out}' is a folder; give a file name"
                         + (f" ending in {_endings(endings)}" if endings else ""))
    if endings and out.suffix.lower() not in endings:
        raise UsageError(f"'{out.name}' must end in {_endings(endings)}")
    for source in inputs:
        if _same_file(out, source):
            raise UsageError(f"'{out}' is one of this job's inputs; write to another file "
                             f"(nothing was written)")
    if not out.exists():
        return None
    form = form_of(out)
    if form and form != writes:
        raise UsageError(f"'{out}' is {FORM_NAMES[form]}, which people fill in; write to "
                         f"another file (nothing was written)")
    if not keep_old:
        return None
    from clusterbook.excel.write import ensure_writable

    ensure_writable(out)  # a book open in Excel is refused before anything is copied
    return keep_old_copy(out)


def kept_note(old: Path | None) -> str:
    """The sentence that tells where an earlier file went, or ''."""
    return f"The earlier file is kept as {old}." if old is not None else ""


def output_folder(out: Path, *, inputs: Iterable[Path] = ()) -> Path:
    """Check that ``out`` is, or can be made, a folder to write into; makes it."""
    _check_folder_name(out)
    for source in inputs:
        if _same_file(out, source):
            raise UsageError(f"'{out}' is one of this job's inputs; give another folder")
    out.mkdir(parents=True, exist_ok=True)
    return out


#: The record a job keeps in a folder of its own: which files it wrote, with fingerprints.
FOLDER_RECORD: Final = ".clusterbook-files.json"
#: Files a system puts in any folder; a folder holding only these is empty.
_SYSTEM_FILES: Final = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class OwnFolder:
    """A folder a job fills with files of its own; :meth:`record` notes what it wrote."""

    path: Path
    job: str
    before: dict[str, str]

    def record(self) -> None:
        """Record the files this run wrote (new or changed)."""
        files = {name: digest for name, digest in _fingerprints(self.path).items()
                 if self.before.get(name) != digest}
        from clusterbook.excel.write import atomic_path

        with atomic_path(self.path / FOLDER_RECORD) as temporary:
            temporary.write_text(json.dumps({"job": self.job, "files": files}, indent=1),
                                 encoding="utf-8")


def check_own_folder(out: Path, *, job: str) -> None:
    """Refuse (UsageError) a folder ``job`` may not fill: a file, a name ending like a file,
    or a folder holding files this job did not write. Nothing is written."""
    _check_folder_name(out)
    if not out.exists() or _record(out, job) is not None:
        return
    others = sorted(path.name for path in out.iterdir() if path.name not in _SYSTEM_FILES)
    if others:
        shown = ", ".join(f"'{name}'" for name in others[:3]) + (", ..." if others[3:] else "")
        raise UsageError(f"'{out}' already holds other files ({shown}); the {job} fills a "
                         f"folder of its own, so give a new or empty folder, for example "
                         f"'{out / ('clusterbook-' + job)}' (nothing was written)")


def own_folder(out: Path, *, job: str) -> OwnFolder:
    """Make ``out`` ready for ``job`` to fill (see :func:`check_own_folder`): the files an
    earlier run wrote are removed, those changed since kept as '(old)' copies first."""
    check_own_folder(out, job=job)
    out.mkdir(parents=True, exist_ok=True)
    current = _fingerprints(out)
    for name, digest in (_record(out, job) or {}).items():
        if name not in current:
            continue
        if current[name] != digest:
            keep_old_copy(out / name)
        (out / name).unlink()
    return OwnFolder(out, job, _fingerprints(out))


def _check_folder_name(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"'{out}' is a file; give a folder to write into")
    if not out.exists() and out.suffix.lower() in FILE_ENDINGS:
        raise UsageError(f"'{out}' looks like a file name; this job writes several files, "
                         f"so give a folder (for example '{out.with_suffix('')}/')")


def _record(folder: Path, job: str) -> dict[str, str] | None:
    """What ``job`` recorded writing in ``folder``, or None when it did not fill it."""
    try:
        record = json.loads((folder / FOLDER_RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("job") != job or \
            not isinstance(record.get("files"), dict):
        return None
    return {str(name): str(digest) for name, digest in record["files"].items()}


def _fingerprints(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*"))
            if path.is_file() and path.name != FOLDER_RECORD}


def keep_old_copy(path: Path) -> Path | None:
    """Copy an existing ``path`` to 'NAME (old).EXT' (or '(old 2)', ...) before it is
    replaced; returns the copy, or None when there was nothing to keep."""
    if not path.is_file():
        return None
    match = _ENDING.search(path.name)
    stem, ending = (path.name[:match.start()], match.group()) if match and match.start() \
        else (path.name, "")
    target = path.with_name(f"{stem} (old){ending}")
    serial = 2
    while target.exists():
        target = path.with_name(f"{stem} (old {serial}){ending}")
        serial += 1
    shutil.copy2(path, target)
    return target


def drop_old_if_same(old: Path | None, new: Path) -> Path | None:
    """Remove an '(old)' copy that holds exactly what was written again (a blank template
    saved twice, a checked copy of an unchanged file); returns the copy that is kept, or
    None. Workbooks are compared part by part, leaving out the time they were saved."""
    if old is not None and old.is_file() and new.is_file() and _same_content(old, new):
        old.unlink()
        return None
    return old


def _same_content(first: Path, second: Path) -> bool:
    if first.stat().st_size == second.stat().st_size and \
            first.read_bytes() == second.read_bytes():
        return True
    try:
        with zipfile.ZipFile(first) as one, zipfile.ZipFile(second) as other:
            names = sorted(one.namelist())
            if names != sorted(other.namelist()):
                return False
            return all(one.getinfo(name).file_size == other.getinfo(name).file_size
                       and one.read(name) == other.read(name)
                       for name in names if name != _SAVE_TIME)
    except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return False


def form_of(path: Path) -> str:
    """The id of the form a workbook is (from the properties ClusterBook writes), or ''."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > 1 << 16:
                return ""
            match = _SUBJECT.search(archive.read(info))
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return ""
    if match is None:
        return ""
    form_id = match.group(1).decode("utf-8", "replace").split(" ")[0]
    return form_id if form_id in FORM_NAMES else ""


def safe_names(texts: Sequence[str], *, fallback: str = "unnamed") -> list[str]:
    """A file name for each text: characters no file system takes replaced by '-', Windows'
    reserved names avoided, at most :data:`MAX_NAME_BYTES`, and unique ignoring case (a
    repeat gets ' (2)', ' (3)', ...)."""
    names: list[str] = []
    taken: set[str] = set()
    for text in texts:
        name = _NOT_IN_NAMES.sub("-", unicodedata.normalize("NFC", text)).strip(" .")
        name = name or fallback
        if _RESERVED.match(name):
            name = f"{name}_"
        name = _shorten(name, MAX_NAME_BYTES)
        unique, serial = name, 2
        while unique.casefold() in taken:
            suffix = f" ({serial})"
            unique = _shorten(name, MAX_NAME_BYTES - len(suffix)) + suffix
            serial += 1
        taken.add(unique.casefold())
        names.append(unique)
    return names


def _shorten(name: str, limit: int) -> str:
    encoded = name.encode("utf-8")
    if len(encoded) <= limit:
        return name
    return encoded[:limit].decode("utf-8", "ignore").rstrip(" .")


def _same_file(out: Path, source: Path) -> bool:
    try:
        return out.exists() and source.exists() and os.path.samefile(out, source)
    except OSError:
        return False


def _endings(endings: Sequence[str]) -> str:
    return " or ".join(endings)


__all__ = ["FILE_ENDINGS", "FOLDER_RECORD", "FORM_NAMES", "OwnFolder", "UsageError",
           "check_own_folder", "drop_old_if_same", "existing_input", "form_of", "keep_old_copy",
           "kept_note", "output_file", "output_folder", "own_folder", "safe_names"]
