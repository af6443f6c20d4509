#!/usr/bin/env python3
"""Draws Lucid's toolbar icons (a page with three text lines) as PNGs; standard library only.
Run once after changing the design: python3 make-icons.py (the PNGs are committed)."""
import struct
import zlib

ACCENT = (47, 95, 208)
WHITE = (255, 255, 255)
SS = 4  # supersampling per axis


def inside_round_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def shade(u, v):
    """Colour and alpha at unit coordinates (u, v) in [0, 1)."""
    if not inside_round_rect(u, v, 0.02, 0.02, 0.98, 0.98, 0.22):
        return None
    for top, right in ((0.27, 0.78), (0.45, 0.78), (0.63, 0.58)):
        if inside_round_rect(u, v, 0.22, top, right, top + 0.1, 0.05):
            return WHITE
    return ACCENT


def png(size):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    c = shade((x + (sx + 0.5) / SS) / size, (y + (sy + 0.5) / SS) / size)
                    if c:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 1
            n = acc[3]
            row += bytes([acc[0] // n, acc[1] // n, acc[2] // n, 255 * n // (SS * SS)] if n else [0, 0, 0, 0])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


for s in (16, 32, 48, 128):
    with open(f"icon-{s}.png", "wb") as f:
        f.write(png(s))
