"""The files a job reads: the files named, and the workbooks found in folders, each with the
name its user knows it by. Validate and merge look for submissions the same way."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from clusterbook.domain.errors import InputError
from clusterbook.domain.outcomes import printable
from clusterbook.excel.intake import display_name
from clusterbook.excel.read import WORKBOOK_SUFFIXES, is_lock_file

#: Suffixes of files a folder search looks at; other files are skipped and listed.
CANDIDATE_SUFFIXES = (*WORKBOOK_SUFFIXES, ".xls", ".xlsb", ".ods")
#: Copies written by ``--write-back``, never read back as submissions from a folder.
CHECKED_MARK = ".checked"


def collect_paths(arguments: Iterable[Path | str]) -> tuple[list[Path], list[Path]]:
    """The files to check (files named, and workbooks found in folders, recursively, in name
    order) and the files a folder held that are not workbooks.

    Raises InputError when a path does not exist.
    """
    files: list[Path] = []
    skipped: list[Path] = []
    missing = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            # Pipes, sockets and broken links are listed too (the intake names them, never
            # opening them); links to folders are not followed.
            found = (p for p in path.rglob("*") if p.is_symlink() or not p.is_dir())
            for candidate in sorted(found, key=lambda p: str(p.relative_to(path)).casefold()):
                relative = candidate.relative_to(path)
                if any(part.startswith(".") for part in relative.parts) and not \
                        is_lock_file(candidate):
                    continue
                if is_lock_file(candidate) or (
                        candidate.suffix.lower() in CANDIDATE_SUFFIXES
                        and not candidate.stem.endswith(CHECKED_MARK)):
                    files.append(candidate)
                else:
                    skipped.append(candidate)
        elif path.exists() or path.is_symlink() or is_lock_file(path):
            files.append(path)
        else:
            missing.append(path)
    if missing:
        raise InputError("; ".join(f"'{path}' does not exist" for path in missing))
    return list(dict.fromkeys(files)), skipped


def display_names(paths: Sequence[Path]) -> dict[Path, str]:
    """The name of each file as its user knows it: the file name, or, when two files share a
    name, enough of their folders to tell them apart."""
    counts = Counter(path.name for path in paths)
    names = {}
    for path in paths:
        if counts[path.name] == 1:
            names[path] = display_name(path)
            continue
        clashing = [other for other in paths if other.name == path.name]
        depth = 2
        while depth <= len(path.parts):
            tails = {Path(*other.parts[-depth:]) for other in clashing}
            if len(tails) == len(clashing):
                break
            depth += 1
        names[path] = printable(Path(*path.parts[-depth:]).as_posix())
    return names
