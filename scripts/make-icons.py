#!/usr/bin/env python3
"""Draws Tsuzuri's app icons (a white speech balloon with lines of text on terracotta) as PNGs.

Pure Python (zlib only), so it runs anywhere; the PNGs it writes are committed in public/icons.
Usage: python3 scripts/make-icons.py
"""
import math
import os
import struct
import zlib

ACCENT = (181, 83, 44)
WHITE = (255, 255, 255)
INK = (181, 83, 44)
OUT = os.path.join(os.path.dirname(__file__), "..", "public", "icons")


def png(path, size, pixel):
    rows = []
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            row.extend(pixel(x + 0.5, y + 0.5, size))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def inside_round_rect(x, y, left, top, right, bottom, radius):
    cx = min(max(x, left + radius), right - radius)
    cy = min(max(y, top + radius), bottom - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def drawing(scale_content, rounded):
    def pixel(x, y, size):
        u, v = x / size, y / size
        # Background: rounded square for the regular icon, full bleed for the maskable one.
        if rounded and not inside_round_rect(u, v, 0, 0, 1, 1, 0.22):
            return (0, 0, 0, 0)
        c = 0.5 + (u - 0.5) / scale_content, 0.5 + (v - 0.5) / scale_content
        cu, cv = c
        balloon = inside_round_rect(cu, cv, 0.16, 0.2, 0.84, 0.7, 0.14)
        # The tail: a triangle under the balloon's lower left.
        tail = 0.7 <= cv <= 0.86 and 0.28 <= cu <= 0.28 + (0.86 - cv) * 1.1
        if balloon or tail:
            for line_top, line_right in ((0.32, 0.72), (0.42, 0.72), (0.52, 0.58)):
                if line_top <= cv <= line_top + 0.045 and 0.28 <= cu <= line_right:
                    return (*INK, 255)
            return (*WHITE, 255)
        return (*ACCENT, 255)

    return pixel


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    png(os.path.join(OUT, "icon-192.png"), 192, drawing(1.0, True))
    png(os.path.join(OUT, "icon-512.png"), 512, drawing(1.0, True))
    png(os.path.join(OUT, "icon-maskable-512.png"), 512, drawing(0.72, False))
    png(os.path.join(OUT, "favicon-32.png"), 32, drawing(1.0, True))
    print("icons written to", os.path.normpath(OUT))
