r"""The user's list of Excel add-ins: where ClusterBook.xlam is registered.

Excel loads at start every add-in named by the values ``OPEN``, ``OPEN1``, ``OPEN2``... of
``HKEY_CURRENT_USER\Software\Microsoft\Office\<version>\Excel\Options`` (data ``/R "path"``),
reading them in order until one is missing; an add-in the user unticks in File > Options >
Add-ins moves to the ``Add-in Manager`` key beside it. This is what Excel's own Add-ins
dialog writes: the add-in stays in ClusterBook's folder next to its Python, shows in that
dialog with a tick box, and is the current user's only. (Excel's XLSTART folder would open it
too, but it is the folder where a user's own xlwings add-in lives, and an add-in there cannot
be switched off.)

:func:`register` and :func:`unregister` work on the values as a mapping, so the rules are the
same for the Windows registry (:class:`WindowsAddinList`) and for any other store.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import PureWindowsPath
from typing import Any, Final

OFFICE_KEY: Final = r"Software\Microsoft\Office"
#: Excel 2016, 2019, 2021 and Microsoft 365 all keep their settings under 16.0.
CURRENT_VERSION: Final = "16.0"
_OPEN: Final = re.compile(r"^OPEN(\d*)$", re.IGNORECASE)


def open_value(path: str) -> str:
    """The data Excel writes for an add-in it loads (read-only, quoted path)."""
    return f'/R "{path}"'


def names_path(data: str, path: str) -> bool:
    """Whether an OPEN value's data names the add-in at ``path`` (any switches, any case)."""
    found = re.search(r'"([^"]+)"', data) or re.match(r"^(?:/\w+\s+)*(.+)$", data.strip())
    named = found.group(1).strip() if found else ""
    return bool(named) and PureWindowsPath(named) == PureWindowsPath(path)


def _slot(index: int) -> str:
    return "OPEN" if index == 0 else f"OPEN{index}"


def open_values(values: MutableMapping[str, str]) -> list[str]:
    """The OPEN values Excel reads, in its order (it stops at the first missing one)."""
    names = {name.upper(): name for name in values if _OPEN.match(name)}
    ordered, index = [], 0
    while _slot(index) in names:
        ordered.append(names[_slot(index)])
        index += 1
    return ordered


def register(values: MutableMapping[str, str], path: str) -> str | None:
    """Add the add-in at ``path`` after the others; the value's name, or None when it was
    listed already."""
    listed = open_values(values)
    if any(names_path(values[name], path) for name in listed):
        return None
    name = _slot(len(listed))
    values[name] = open_value(path)
    return name


def unregister(values: MutableMapping[str, str], path: str) -> list[str]:
    """Take the add-in at ``path`` out of the list; the add-ins after it move up one place,
    so that Excel still reaches them. Returns the names of the values removed."""
    listed = open_values(values)
    kept = [values[name] for name in listed if not names_path(values[name], path)]
    if len(kept) == len(listed):
        return []
    for index, data in enumerate(kept):
        values[_slot(index)] = data
    removed = [_slot(index) for index in range(len(kept), len(listed))]
    for name in removed:
        del values[name]
    return removed


class WindowsAddinList(MutableMapping[str, str]):
    """The string values of one registry key of the current user (created when written)."""

    def __init__(self, subkey: str) -> None:
        import winreg

        self._winreg: Any = winreg
        self.subkey = subkey

    def _open(self, write: bool = False) -> Any:
        reg = self._winreg
        if write:
            return reg.CreateKeyEx(reg.HKEY_CURRENT_USER, self.subkey, 0, reg.KEY_ALL_ACCESS)
        return reg.OpenKey(reg.HKEY_CURRENT_USER, self.subkey, 0, reg.KEY_READ)

    def _items(self) -> dict[str, str]:
        try:
            key = self._open()
        except OSError:
            return {}
        found: dict[str, str] = {}
        with key:
            index = 0
            while True:
                try:
                    name, data, kind = self._winreg.EnumValue(key, index)
                except OSError:
                    return found
                if kind in (self._winreg.REG_SZ, self._winreg.REG_EXPAND_SZ):
                    found[name] = data
                index += 1

    def __getitem__(self, name: str) -> str:
        return self._items()[name]

    def __setitem__(self, name: str, data: str) -> None:
        with self._open(write=True) as key:
            self._winreg.SetValueEx(key, name, 0, self._winreg.REG_SZ, data)

    def __delitem__(self, name: str) -> None:
        with self._open(write=True) as key:
            self._winreg.DeleteValue(key, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())


def excel_versions() -> list[str]:
    """The Office versions whose Excel settings this user has, and always the current one."""
    versions = {CURRENT_VERSION}
    if sys.platform.startswith("win"):
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, OFFICE_KEY) as office:
                index = 0
                while True:
                    try:
                        name = winreg.EnumKey(office, index)
                    except OSError:
                        break
                    index += 1
                    if re.fullmatch(r"1[4-9]\.0", name):
                        try:
                            winreg.OpenKey(office, rf"{name}\Excel").Close()
                            versions.add(name)
                        except OSError:
                            pass
        except OSError:
            pass
    return sorted(versions)


def options_key(version: str) -> str:
    return rf"{OFFICE_KEY}\{version}\Excel\Options"


def manager_key(version: str) -> str:
    """Where Excel keeps add-ins the user unticked (value name: the add-in's path)."""
    return rf"{OFFICE_KEY}\{version}\Excel\Add-in Manager"
