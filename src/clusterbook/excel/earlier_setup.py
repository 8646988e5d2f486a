r"""Undoing what ClusterBook 0.1's Excel set-up did, on an upgrade or a removal.

That set-up copied xlwings' own add-in into ``XLSTART`` and wrote ClusterBook's entries into
the user's ``%USERPROFILE%\.xlwings\xlwings.conf``, and recorded both in
``%APPDATA%\ClusterBook\excel-setup.json`` (the add-in's sha256 and whether it put it there;
each setting's earlier value, or whether it added a list item). Only what that record says
is undone: the add-in goes only if the set-up installed it and it is unchanged; a replaced
setting gets its earlier value back; every other line of the file stays as it is. Without
such a record nothing is touched.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from clusterbook.excel.write import atomic_path

INTERPRETER_KEY: Final = "INTERPRETER_WIN"
_ENTRY: Final = re.compile(r'^\s*"([^"]*)"\s*,\s*"([^"]*)"')


def has_earlier_setup(record: Mapping[str, Any]) -> bool:
    """Whether a set-up record comes from the set-up that changed xlwings' files."""
    return "settings" in record or "sha256" in record.get("addin", {})


def _encoding() -> str:
    # Excel's VBA reads the file in the system's ANSI code page ("mbcs" exists on Windows).
    try:
        return codecs.lookup("mbcs").name
    except LookupError:
        return "utf-8"


def _items(items: str) -> list[str]:
    return [part.strip() for part in items.split(";") if part.strip()]


def read_settings(text: str) -> dict[str, str]:
    """The settings in xlwings.conf text, keys upper case (as xlwings compares them)."""
    settings: dict[str, str] = {}
    for line in text.splitlines():
        match = _ENTRY.match(line)
        if match:
            settings.setdefault(match.group(1).upper(), match.group(2))
    return settings


def updated_settings_text(text: str, changes: Mapping[str, str | None]) -> str:
    """The text with each changed key's line replaced where it is (or removed, for None);
    every other line as it was."""
    lines, done = [], set()
    for line in text.splitlines():
        match = _ENTRY.match(line)
        key = match.group(1).upper() if match else None
        if key in changes:
            value = changes[key]
            if key not in done and value is not None:
                lines.append(f'"{key}","{value}"')
            done.add(key)
            continue
        lines.append(line)
    return "\r\n".join(lines) + "\r\n" if lines else ""


def _settings_to_undo(noted: Mapping[str, Any], current: Mapping[str, str]
                      ) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    interpreter = noted.get(INTERPRETER_KEY)
    if interpreter and current.get(INTERPRETER_KEY) == interpreter.get("value"):
        changes[INTERPRETER_KEY] = interpreter.get("before") or None
    for key, entry in noted.items():
        if key == INTERPRETER_KEY or not entry.get("added"):
            continue
        items = _items(current.get(key, ""))
        if entry.get("item") in items:
            changes[key] = ";".join(item for item in items if item != entry["item"]) or None
    return changes


def undo(config_file: Path, xlstart_addin: Path, record: Mapping[str, Any],
         encoding: str | None = None) -> list[str]:
    """Undo the earlier set-up as its record says; one sentence per change made."""
    done = []
    noted = record.get("settings", {})
    if noted and config_file.is_file():
        encoding = encoding or _encoding()
        before = config_file.read_bytes().decode(encoding, errors="replace")
        changes = _settings_to_undo(noted, read_settings(before))
        text = updated_settings_text(before, changes)
        if text != before:
            if text.strip():
                with atomic_path(config_file) as temporary:
                    temporary.write_bytes(text.encode(encoding))
            else:
                config_file.unlink()
                with contextlib.suppress(OSError):
                    config_file.parent.rmdir()  # only when empty
            done.append(f"Took the entries an earlier ClusterBook wrote out of {config_file} "
                        f"({', '.join(changes)}); your other settings are as they were")
    addin = record.get("addin", {})
    if addin.get("installed") and xlstart_addin.is_file() and \
            hashlib.sha256(xlstart_addin.read_bytes()).hexdigest() == addin.get("sha256"):
        xlstart_addin.unlink()
        done.append(f"Removed the xlwings add-in an earlier ClusterBook put in {xlstart_addin}")
    return done
