#!/usr/bin/env python3
"""Writes the Stegvis app icons (frontend/icons/*.png): a "steps" logo, three
rising steps in the theme colour #1f5f4a on white. Only zlib and struct.

    python3 tools/make_icons.py
"""
import os
import struct
import zlib

GREEN = (0x1F, 0x5F, 0x4A)
WHITE = (0xFF, 0xFF, 0xFF)


def png(width, height, pixel):
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def steps(size, content):
    """Three steps filling the central `content` fraction of the square."""
    margin = size * (1 - content) / 2
    inner = size - 2 * margin
    step_w = inner / 3

    def pixel(x, y):
        fx, fy = x + 0.5 - margin, y + 0.5 - margin
        if 0 <= fx < inner and 0 <= fy < inner:
            i = int(fx // step_w)  # 0, 1, 2 from left to right
            top = inner * (2 - i) / 3  # each step one third higher
            gap = step_w * 0.08
            if fy >= top and (fx - i * step_w) < step_w - gap:
                return GREEN
        return WHITE

    return pixel


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "frontend", "icons")
    os.makedirs(out, exist_ok=True)
    # "any" icons: the logo over 70 % of the square; maskable: within the 80 % safe circle.
    for name, size, content in [("icon-192.png", 192, 0.70), ("icon-512.png", 512, 0.70), ("icon-maskable-512.png", 512, 0.52)]:
        with open(os.path.join(out, name), "wb") as f:
            f.write(png(size, size, steps(size, content)))
        print("wrote", name)


if __name__ == "__main__":
    main()
