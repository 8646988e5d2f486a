"""ClusterBook's icon, drawn at build time: a green sheet with a grid and one red cell.

Written as a Windows ``.ico`` holding PNG images (Windows Vista and later read these), with
nothing but the standard library, so the repository carries no binary.
"""

from __future__ import annotations

import struct
import zlib

GREEN = (31, 110, 67, 255)
WHITE = (255, 255, 255, 255)
RED = (192, 57, 43, 255)
CLEAR = (0, 0, 0, 0)
SIZES = (16, 32, 48, 256)


def _pixel(x: int, y: int, size: int) -> tuple[int, int, int, int]:
    margin = size / 16
    radius = size / 8
    inner = size - 2 * margin
    # Rounded square: outside the corner circles is transparent.
    cx = min(max(x + 0.5, margin + radius), size - margin - radius)
    cy = min(max(y + 0.5, margin + radius), size - margin - radius)
    if (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 > radius ** 2:
        return CLEAR
    # A 4 x 4 grid of cells inside the sheet, lines one pixel (or size/64) wide.
    u = (x + 0.5 - margin) / inner
    v = (y + 0.5 - margin) / inner
    cell = 1 / 4
    line = max(1.0, size / 48) / inner
    in_grid = 0.12 <= u <= 0.88 and 0.12 <= v <= 0.88
    if in_grid:
        gu, gv = (u - 0.12) / 0.76, (v - 0.12) / 0.76
        on_line = min(gu % cell, cell - gu % cell) < line / 0.76 / 2 * 1.6 or \
            min(gv % cell, cell - gv % cell) < line / 0.76 / 2 * 1.6
        if on_line:
            return WHITE
        if 2 * cell <= gu < 3 * cell and 1 * cell <= gv < 2 * cell:
            return RED
        return (255, 255, 255, 60) if gv < cell else GREEN
    return GREEN


def png(size: int) -> bytes:
    """One square RGBA PNG of the icon."""
    rows = b"".join(
        b"\0" + bytes(channel for x in range(size) for channel in _pixel(x, y, size))
        for y in range(size)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ico(sizes: tuple[int, ...] = SIZES) -> bytes:
    """The ``.ico`` file with one PNG image per size."""
    images = [png(size) for size in sizes]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for size, image in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return directory + entries + b"".join(images)


def wizard_bitmap(width: int = 164, height: int = 314) -> bytes:
    """The picture on the left of the installer's first and last pages (a 24-bit BMP):
    dark green, with the icon near the top."""
    size = 112
    left, top = (width - size) // 2, 48
    rows = []
    for y in range(height - 1, -1, -1):  # BMP rows run bottom to top
        shade = y / height
        background = (round(23 - 8 * shade), round(87 - 27 * shade), round(58 - 18 * shade))
        row = bytearray()
        for x in range(width):
            red, green, blue = background
            if left <= x < left + size and top <= y < top + size:
                r, g, b, alpha = _pixel(x - left, y - top, size)
                weight = alpha / 255
                red, green, blue = (round(r * weight + red * (1 - weight)),
                                    round(g * weight + green * (1 - weight)),
                                    round(b * weight + blue * (1 - weight)))
            row += bytes((blue, green, red))
        row += b"\0" * (-len(row) % 4)
        rows.append(bytes(row))
    pixels = b"".join(rows)
    header = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels),
                         2835, 2835, 0, 0)
    file_header = struct.pack("<2sIHHI", b"BM", 14 + len(header) + len(pixels), 0, 0,
                              14 + len(header))
    return file_header + header + pixels
