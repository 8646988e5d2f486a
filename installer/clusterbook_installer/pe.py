"""Just enough of the Windows PE format to check the payload's binaries from Linux.

Two questions: is a file a 64-bit Windows binary, and which DLLs does it load at start
(its import table)? A DLL that a kept binary imports but that is neither in the payload nor
part of Windows would make the launcher or Excel fail on an officer's laptop with "the
specified module could not be found"; checking the import tables finds that at build time.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

MACHINE_AMD64 = 0x8664
MACHINE_I386 = 0x14C
_IMPORT_DIRECTORY = 1


@dataclass(frozen=True)
class PeFile:
    machine: int
    imports: tuple[str, ...]

    @property
    def is_amd64(self) -> bool:
        return self.machine == MACHINE_AMD64


class NotPe(ValueError):
    """The file is not a Windows PE binary."""


def read_pe(path: Path) -> PeFile:
    """The machine type and imported DLL names (lower case) of a PE file."""
    data = path.read_bytes()
    if data[:2] != b"MZ" or len(data) < 0x40:
        raise NotPe(f"{path.name} is not a Windows binary")
    (pe_offset,) = struct.unpack_from("<I", data, 0x3C)
    if data[pe_offset:pe_offset + 4] != b"PE\0\0":
        raise NotPe(f"{path.name} has no PE header")
    machine, sections, _, _, _, optional_size, _ = struct.unpack_from(
        "<HHIIIHH", data, pe_offset + 4)
    optional = pe_offset + 24
    (magic,) = struct.unpack_from("<H", data, optional)
    directories = optional + (112 if magic == 0x20B else 96)
    import_rva, _size = struct.unpack_from("<II", data, directories + 8 * _IMPORT_DIRECTORY)
    section_table = optional + optional_size
    spans = []
    for index in range(sections):
        entry = section_table + 40 * index
        virtual_size, virtual_address, raw_size, raw_pointer = struct.unpack_from(
            "<IIII", data, entry + 8)
        spans.append((virtual_address, max(virtual_size, raw_size), raw_pointer))

    def offset(rva: int) -> int:
        for start, size, raw in spans:
            if start <= rva < start + size:
                return rva - start + raw
        raise NotPe(f"{path.name}: address {rva:#x} is outside every section")

    imports: list[str] = []
    if import_rva:
        cursor = offset(import_rva)
        while True:
            descriptor = struct.unpack_from("<IIIII", data, cursor)
            if not any(descriptor):
                break
            name_at = offset(descriptor[3])
            imports.append(data[name_at:data.index(b"\0", name_at)].decode("ascii").lower())
            cursor += 20
    return PeFile(machine=machine, imports=tuple(imports))


#: DLLs that every Windows 10 and 11 installation has in System32. The Visual C++ runtime
#: (vcruntime140*.dll, msvcp140*.dll, concrt140.dll) is deliberately not here: many office
#: laptops lack the redistributable, so the payload must carry it. ``bcryptprimitives``
#: (random numbers in Rust code: python-calamine, pydantic-core, xlwings) and ``icuuc`` (Qt's
#: Unicode support) come with Windows 10 1903 and later, the oldest Windows supported.
WINDOWS_DLLS = frozenset((
    "advapi32", "authz", "bcrypt", "cfgmgr32", "comctl32", "comdlg32", "crypt32", "d2d1",
    "d3d11", "d3d12", "d3d9", "dbghelp", "dcomp", "dnsapi", "dwmapi", "dwrite", "dxgi", "gdi32",
    "gdiplus", "imm32", "iphlpapi", "kernel32", "mpr", "msimg32", "msvcrt", "ncrypt", "netapi32",
    "normaliz", "ntdll", "ole32", "oleacc", "oleaut32", "opengl32", "powrprof", "propsys",
    "psapi", "rpcrt4", "secur32", "setupapi", "shcore", "shell32", "shlwapi", "sspicli",
    "ucrtbase", "user32", "userenv", "uxtheme", "version", "winhttp", "wininet", "winmm",
    "winspool.drv", "wintrust", "wldap32", "ws2_32", "wtsapi32", "dxva2", "mf", "mfplat",
    "mfreadwrite", "evr", "hid", "usp10", "urlmon", "cabinet", "dbgeng", "pdh", "wevtapi",
    "credui", "winsta", "aclui", "activeds", "dsound", "ktmw32", "loadperf", "lz32", "mscms",
    "msi", "mswsock", "ntdsapi", "odbc32", "query", "rasapi32", "sfc", "uiautomationcore",
    "bcryptprimitives", "icuuc", "icuin",
))


def is_windows_dll(name: str) -> bool:
    """True for a DLL that Windows itself provides (API sets included)."""
    lowered = name.lower()
    stem = lowered.removesuffix(".dll")
    return (lowered.startswith(("api-ms-win-", "ext-ms-win-"))
            or stem in WINDOWS_DLLS or lowered in WINDOWS_DLLS)
