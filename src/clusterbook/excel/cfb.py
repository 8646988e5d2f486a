"""A writer of compound files (MS-CFB, version 3), the container of a VBA project.

Just what ``vbaProject.bin`` needs: a tree of storages and streams written once, 512-byte
sectors, streams under 4096 bytes in the mini stream (as the format requires), and one FAT
whose sectors the header lists (up to 109 of them, about 7 MB: far more than a VBA project).
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

SECTOR: Final = 512
MINI_SECTOR: Final = 64
MINI_CUTOFF: Final = 4096
FREE: Final = 0xFFFFFFFF
END_OF_CHAIN: Final = 0xFFFFFFFE
FAT_SECTOR: Final = 0xFFFFFFFD
NO_STREAM: Final = 0xFFFFFFFF
SIGNATURE: Final = bytes.fromhex("D0CF11E0A1B11AE1")
_HEADER_FAT_SLOTS: Final = 109
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK: Final = 1
_ENTRY_SIZE: Final = 128

#: A tree of streams: a name maps to a stream's bytes or to a storage (another such mapping).
Tree = Mapping[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[_Entry] = field(default_factory=list)
    left: int = NO_STREAM
    right: int = NO_STREAM
    child: int = NO_STREAM
    start: int = END_OF_CHAIN
    size: int = 0


def _sort_key(entry: _Entry) -> tuple[int, str]:
    # MS-CFB 2.6.4: siblings are ordered by name length first, then by upper-case name.
    return len(entry.name), entry.name.upper()


def _flatten(root: _Entry) -> list[_Entry]:
    """Every entry in directory order (root first), with sibling trees and child links set."""
    entries = [root]

    def place(parent: _Entry) -> None:
        ordered = sorted(parent.children, key=_sort_key)
        first = len(entries)
        entries.extend(ordered)

        def balanced(low: int, high: int) -> int:
            if low > high:
                return NO_STREAM
            middle = (low + high) // 2
            node = entries[first + middle]
            node.left, node.right = balanced(low, middle - 1), balanced(middle + 1, high)
            return first + middle

        parent.child = balanced(0, len(ordered) - 1)
        for child in ordered:
            if child.kind == _STORAGE:
                place(child)

    place(root)
    return entries


def _build(name: str, tree: Tree, kind: int) -> _Entry:
    entry = _Entry(name, kind)
    for child_name, value in tree.items():
        if len(child_name) > 31 or any(char in child_name for char in "/\\:!"):
            raise ValueError(f"'{child_name}' cannot name a compound-file entry")
        if isinstance(value, bytes):
            entry.children.append(_Entry(child_name, _STREAM, value, size=len(value)))
        else:
            entry.children.append(_build(child_name, value, _STORAGE))
    return entry


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _chain(fat: list[int], start: int, count: int) -> None:
    for index in range(start, start + count):
        fat[index] = index + 1 if index < start + count - 1 else END_OF_CHAIN


def compound_file(tree: Tree) -> bytes:
    """The bytes of a compound file holding ``tree`` (the root storage's contents)."""
    root = _build("Root Entry", tree, _ROOT)
    entries = _flatten(root)
    streams = [entry for entry in entries if entry.kind == _STREAM]

    # Small streams live in the mini stream, which is itself the root entry's stream.
    mini, minifat = bytearray(), []
    for entry in streams:
        if 0 < entry.size < MINI_CUTOFF:
            entry.start = len(mini) // MINI_SECTOR
            count = -(-entry.size // MINI_SECTOR)
            minifat.extend(range(entry.start + 1, entry.start + count))
            minifat.append(END_OF_CHAIN)
            mini += _pad(entry.data, MINI_SECTOR)

    sectors: list[bytes] = []
    fat: list[int] = []

    def add(data: bytes) -> int:
        start, blocks = len(sectors), _pad(data, SECTOR)
        count = len(blocks) // SECTOR
        sectors.extend(blocks[i:i + SECTOR] for i in range(0, len(blocks), SECTOR))
        fat.extend([FREE] * count)
        _chain(fat, start, count)
        return start

    if mini:
        root.start, root.size = add(bytes(mini)), len(mini)
    for entry in streams:
        if entry.size >= MINI_CUTOFF:
            entry.start = add(entry.data)
    minifat_start = add(struct.pack(f"<{len(minifat)}I", *minifat)) if minifat else END_OF_CHAIN
    minifat_count = -(-len(minifat) * 4 // SECTOR)
    unused = -len(entries) % (SECTOR // _ENTRY_SIZE)
    directory_start = add(b"".join(_directory_entry(entry) for entry in entries)
                          + _unused_entry() * unused)

    # The FAT covers every sector, its own included.
    fat_count = 1
    while (len(sectors) + fat_count) * 4 > fat_count * SECTOR:
        fat_count += 1
    if fat_count > _HEADER_FAT_SLOTS:
        raise ValueError("the compound file is too large for this writer")
    fat_start = len(sectors)
    fat.extend([FAT_SECTOR] * fat_count)
    fat.extend([FREE] * (fat_count * SECTOR // 4 - len(fat)))
    table = struct.pack(f"<{len(fat)}I", *fat)
    sectors.extend(table[i:i + SECTOR] for i in range(0, len(table), SECTOR))

    slots = [fat_start + i for i in range(fat_count)]
    slots += [FREE] * (_HEADER_FAT_SLOTS - fat_count)
    header = SIGNATURE + b"\0" * 16 + struct.pack(
        "<HHHHH6xIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, 0, fat_count, directory_start, 0,
        MINI_CUTOFF, minifat_start, minifat_count, END_OF_CHAIN, 0)
    header += struct.pack(f"<{_HEADER_FAT_SLOTS}I", *slots)
    return header + b"".join(sectors)


def _directory_entry(entry: _Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    start = entry.start if entry.kind == _ROOT or entry.size else END_OF_CHAIN
    return struct.pack("<64sHBBIII16sIQQIQ", name, len(name), entry.kind, _BLACK, entry.left,
                       entry.right, entry.child, b"\0" * 16, 0, 0, 0, start, entry.size)


def _unused_entry() -> bytes:
    """An unused directory entry (they fill the directory's last sector)."""
    return struct.pack("<64sHBBIII16sIQQIQ", b"", 0, 0, 0, NO_STREAM, NO_STREAM, NO_STREAM,
                       b"\0" * 16, 0, 0, 0, 0, 0)
