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
    """The colour at pixel (x, y) of the icon drawn ``size`` pixels wide."""
    margin, radius = size / 16, size / 8
    px, py = x + 0.5, y + 0.5
    # A rounded square: transparent outside the corner circles.
    cx = min(max(px, margin + radius), size - margin - radius)
    cy = min(max(py, margin + radius), size - margin - radius)
    if (px - cx) ** 2 + (py - cy) ** 2 > radius ** 2:
        return CLEAR
    # A 4 x 4 grid of cells over the middle 76 % of the square, white lines between them.
    grid_start, grid_size = size * 0.16, size * 0.68
    u, v = (px - grid_start) / grid_size, (py - grid_start) / grid_size
    if not (0 <= u <= 1 and 0 <= v <= 1):
        return GREEN
    half_line = max(1.0, size / 48) / grid_size
    column, row = int(min(u * 4, 3)), int(min(v * 4, 3))
    if min(u * 4 % 1, 1 - u * 4 % 1) / 4 < half_line or \
            min(v * 4 % 1, 1 - v * 4 % 1) / 4 < half_line:
        return WHITE
    if (column, row) == (2, 1):
        return RED  # one low-performing cluster
    return (255, 255, 255, 60) if row == 0 else GREEN  # a header row, then the cells


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
