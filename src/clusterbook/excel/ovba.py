"""A VBA project file (``vbaProject.bin``) written from module sources, as MS-OVBA lays it out.

The project holds source code only. Its ``_VBA_PROJECT`` stream is the seven bytes MS-OVBA
2.3.4.1 prescribes for a writer (version 0xFFFF, no performance cache), which tells Office that
no compiled code is stored: Excel compiles the modules from their source when it opens the
file. Each module stream holds its source compressed (MS-OVBA 2.4.1) from offset 0; the
``dir`` stream (2.3.4.2) lists the project's properties, references and modules; the PROJECT
stream (2.3.1) is the text Excel reads first, with the protection fields encrypted as 2.4.3
requires (here: no protection, no password, visible). Everything sits in a compound file
(:mod:`clusterbook.excel.cfb`).
"""

from __future__ import annotations

import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

from clusterbook.excel.cfb import compound_file

CODE_PAGE: Final = 1252
LCID: Final = 0x0409
_CHUNK: Final = 4096
#: MS-OVBA 2.3.4.1: what a writer puts in _VBA_PROJECT (Office then compiles from source).
VBA_PROJECT_STREAM: Final = bytes.fromhex("CC61FFFF000000")
#: The Office type library (IRibbonControl, for the ribbon's callbacks); VBA finds it by GUID.
OFFICE_REFERENCE: Final = ("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
                           r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#"
                           r"Microsoft Office 16.0 Object Library")
HOST_EXTENDER: Final = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
#: The base class of Excel's document modules (MS-OVBA 2.3.1.x, VB_Base attribute).
WORKBOOK_BASE: Final = "0{00020819-0000-0000-C000-000000000046}"
WORKSHEET_BASE: Final = "0{00020820-0000-0000-C000-000000000046}"

ModuleKind = Literal["module", "document"]


@dataclass(frozen=True)
class Module:
    """One VBA module: its name and its source (without the ``Attribute VB_Name`` line, which
    the project adds)."""

    name: str
    source: str
    kind: ModuleKind = "module"
    base: str = ""  # a document module's VB_Base (workbook or worksheet)

    def text(self) -> str:
        """The module's stored source: its attributes, then the code, CRLF line ends."""
        attributes = [f'Attribute VB_Name = "{self.name}"']
        if self.kind == "document":
            attributes += [f'Attribute VB_Base = "{self.base}"',
                           "Attribute VB_GlobalNameSpace = False",
                           "Attribute VB_Creatable = False",
                           "Attribute VB_PredeclaredId = True",
                           "Attribute VB_Exposed = True",
                           "Attribute VB_TemplateDerived = False",
                           "Attribute VB_Customizable = True"]
        lines = [*attributes, *self.source.splitlines()]
        return "\r\n".join(lines) + "\r\n"


# -- compression (MS-OVBA 2.4.1) --------------------------------------------------------------

def compress(data: bytes) -> bytes:
    """``data`` as a CompressedContainer: signature 0x01, then one chunk per 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        chunk = data[start:start + _CHUNK]
        body = _compressed_chunk(chunk)
        if len(body) <= _CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) - 1)) + body
        elif len(chunk) == _CHUNK:  # incompressible: stored as is (flag 0, size 4095)
            out += struct.pack("<H", 0x3FFF) + chunk
        else:
            raise ValueError("a short incompressible chunk cannot be stored (MS-OVBA 2.4.1.3.7)")
    return bytes(out)


def _compressed_chunk(chunk: bytes) -> bytes:
    """The tokens of one chunk: a flag byte before every eight tokens; a token is a literal
    byte or a copy token (offset and length packed by the position in the chunk)."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    position, end = 0, len(chunk)
    while position < end:
        flag_at, flags = len(out), 0
        out.append(0)
        for bit in range(8):
            if position >= end:
                break
            offset, length, bit_count = _longest_match(chunk, position, seen)
            if length >= 3:
                out += struct.pack("<H", ((offset - 1) << (16 - bit_count)) | (length - 3))
                flags |= 1 << bit
                step = length
            else:
                out.append(chunk[position])
                step = 1
            for index in range(position, position + step):
                seen.setdefault(chunk[index:index + 3], []).append(index)
            position += step
        out[flag_at] = flags
    return bytes(out)


def _longest_match(chunk: bytes, position: int, seen: dict[bytes, list[int]]
                   ) -> tuple[int, int, int]:
    """(offset, length, bit count) of the longest earlier copy of the bytes at ``position``."""
    bit_count = max((position - 1).bit_length(), 4) if position else 4
    maximum = min((0xFFFF >> bit_count) + 3, len(chunk) - position)
    best_offset, best_length = 0, 0
    for candidate in reversed(seen.get(chunk[position:position + 3], [])[-64:]):
        length = 0
        # The copy may overlap the bytes it produces, as the decompressor copies byte by byte.
        while length < maximum and chunk[candidate + length] == chunk[position + length]:
            length += 1
        if length > best_length:
            best_offset, best_length = position - candidate, length
            if length == maximum:
                break
    return best_offset, best_length, bit_count


# -- the dir stream (MS-OVBA 2.3.4.2) ----------------------------------------------------------

def _record(record_id: int, data: bytes = b"") -> bytes:
    return struct.pack("<HI", record_id, len(data)) + data


def _text_record(record_id: int, text: str, unicode_id: int | None = None) -> bytes:
    data = _record(record_id, text.encode(f"cp{CODE_PAGE}"))
    return data + (_record(unicode_id, text.encode("utf-16-le")) if unicode_id else b"")


def dir_stream(project_name: str, modules: Sequence[Module],
               references: Sequence[tuple[str, str]] = (OFFICE_REFERENCE,)) -> bytes:
    """The uncompressed dir stream: project information, references, modules."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # SYSKIND: 32-bit Windows, as Excel writes
    out += _record(0x0002, struct.pack("<I", LCID))
    out += _record(0x0014, struct.pack("<I", LCID))
    out += _record(0x0003, struct.pack("<H", CODE_PAGE))
    out += _text_record(0x0004, project_name)
    out += _text_record(0x0005, "", 0x0040)  # doc string
    out += _text_record(0x0006, "", 0x003D)  # help file
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # library flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version 1.0 (its size field is reserved)
    out += _text_record(0x000C, "", 0x003C)  # conditional compilation constants
    for name, libid in references:
        out += _text_record(0x0016, name, 0x003E)
        encoded = libid.encode(f"cp{CODE_PAGE}")
        out += _record(0x000D, struct.pack("<I", len(encoded)) + encoded + b"\0" * 6)
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for module in modules:
        out += _text_record(0x0019, module.name, 0x0047)
        out += _text_record(0x001A, module.name, 0x0032)  # stream name
        out += _text_record(0x001C, "", 0x0048)  # doc string
        out += _record(0x0031, struct.pack("<I", 0))  # source starts at offset 0
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # module cookie
        out += _record(0x0021 if module.kind == "module" else 0x0022)
        out += _record(0x002B)  # end of module
    out += _record(0x0010)  # end of dir
    return bytes(out)


# -- the PROJECT stream (MS-OVBA 2.3.1) and its encrypted fields (2.4.3) ------------------------

def encrypt(project_id: str, data: bytes, seed: int) -> str:
    """Data Encryption (MS-OVBA 2.4.3.2) as the hex text the PROJECT stream stores."""
    version, key = 2, sum(project_id.encode("ascii")) & 0xFF
    out = bytearray([seed, seed ^ version, seed ^ key])
    unencrypted, encrypted_1, encrypted_2 = key, seed ^ key, seed ^ version
    ignored = bytes([0x07] * ((seed & 6) // 2))
    for byte in ignored + struct.pack("<I", len(data)) + data:
        encrypted = byte ^ ((encrypted_2 + unencrypted) & 0xFF)
        out.append(encrypted)
        encrypted_2, encrypted_1, unencrypted = encrypted_1, encrypted, byte
    return out.hex().upper()


def decrypt(project_id: str, text: str) -> bytes:
    """The data of an encrypted PROJECT field (MS-OVBA 2.4.3.3)."""
    raw = bytes.fromhex(text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2 or seed ^ key_enc != sum(project_id.encode("ascii")) & 0xFF:
        raise ValueError("the field was not encrypted for this project")
    unencrypted, encrypted_1, encrypted_2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for byte in raw[3:]:
        value = byte ^ ((encrypted_2 + unencrypted) & 0xFF)
        plain.append(value)
        encrypted_2, encrypted_1, unencrypted = encrypted_1, byte, value
    skip = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, skip)[0]
    return bytes(plain[skip + 4:skip + 4 + length])


def project_stream(project_id: str, project_name: str, modules: Sequence[Module],
                   seed: int = 0x11) -> bytes:
    """The PROJECT stream: the modules, the name, and no protection (CMG, DPB, GC)."""
    unprotected, no_password, visible = (encrypt(project_id, data, seed) for data in (
        struct.pack("<I", 0), b"\x00", b"\xff"))
    lines = [f'ID="{project_id}"']
    lines += [f"Document={module.name}/&H00000000" if module.kind == "document"
              else f"Module={module.name}" for module in modules]
    lines += [f'Name="{project_name}"', 'HelpContextID="0"',
              'VersionCompatible32="393222000"',
              f'CMG="{unprotected}"', f'DPB="{no_password}"', f'GC="{visible}"',
              "", "[Host Extender Info]", HOST_EXTENDER, ""]
    return "\r\n".join(lines).encode(f"cp{CODE_PAGE}")


def _names_stream(modules: Sequence[Module]) -> bytes:
    """PROJECTwm (MS-OVBA 2.3.3): each module's name in the code page and in UTF-16."""
    out = bytearray()
    for module in modules:
        out += module.name.encode(f"cp{CODE_PAGE}") + b"\0"
        out += module.name.encode("utf-16-le") + b"\0\0"
    return bytes(out + b"\0\0")


def vba_project(project_name: str, modules: Sequence[Module],
                project_id: str | None = None) -> bytes:
    """The bytes of ``vbaProject.bin`` holding ``modules`` (sources only)."""
    names = [module.name for module in modules]
    if len(set(name.upper() for name in names)) != len(names):
        raise ValueError(f"module names must differ: {names}")
    project_id = project_id or "{" + str(uuid.uuid4()).upper() + "}"
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": VBA_PROJECT_STREAM,
        "dir": compress(dir_stream(project_name, modules)),
    }
    for module in modules:
        vba[module.name] = compress(module.text().encode(f"cp{CODE_PAGE}"))
    return compound_file({
        "PROJECT": project_stream(project_id, project_name, modules),
        "PROJECTwm": _names_stream(modules),
        "VBA": vba,
    })
