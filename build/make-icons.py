#!/usr/bin/env python3
"""Draws Burnrate's icons (a gauge with a needle) as PNGs with no dependencies beyond zlib.

Outputs: build/icon.png (512 px app icon), build/tray/tray-16.png and tray-32.png (colour, for
Windows and Linux), build/tray/trayTemplate.png and trayTemplate@2x.png (black + alpha, macOS
template images that adapt to light and dark menu bars). Run: python3 build/make-icons.py
"""
import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def png(path, size, pixel):
    rows = b''
    for y in range(size):
        rows += b'\x00'
        for x in range(size):
            rows += bytes(pixel(x, y))
    def chunk(tag, data):
        return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff)
    data = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0))
    data += chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(data)


def coverage(size, fx, fy):
    """How much of the pixel at fractional coords (fx, fy in 0..1) the gauge covers: (ring, needle, bg)."""
    cx, cy = 0.5, 0.56
    dx, dy = fx - cx, fy - cy
    r = math.hypot(dx, dy)
    angle = math.degrees(math.atan2(-dy, dx))  # 0 = right, 90 = up
    ring = 0.36 <= r <= 0.47 and (angle >= -35 or angle <= -145)
    # Needle from the centre towards 40 degrees (pace high).
    nx, ny = math.cos(math.radians(40)), -math.sin(math.radians(40))
    t = dx * nx + dy * ny
    dist = abs(dx * ny - dy * nx)
    needle = (-0.02 <= t <= 0.38 and dist <= 0.045) or r <= 0.085
    return ring, needle


def sample(size, x, y, n=4):
    ring = needle = 0
    for i in range(n):
        for j in range(n):
            a, b = coverage(size, (x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size)
            ring += a
            needle += b and not a
    return ring / (n * n), needle / (n * n)


def colour(size):
    def pixel(x, y):
        ring, needle = sample(size, x, y)
        alpha = min(1.0, ring + needle)
        if alpha == 0:
            return (0, 0, 0, 0)
        # Orange ring, light needle.
        r = (255 * ring + 240 * needle) / alpha
        g = (122 * ring + 240 * needle) / alpha
        b = (26 * ring + 240 * needle) / alpha
        return (int(r), int(g), int(b), int(255 * alpha))
    return pixel


def template(size):
    def pixel(x, y):
        ring, needle = sample(size, x, y)
        return (0, 0, 0, int(255 * min(1.0, ring + needle)))
    return pixel


def app_icon(size):
    def pixel(x, y):
        fx, fy = (x + 0.5) / size, (y + 0.5) / size
        # Rounded square background.
        m, rad = 0.06, 0.2
        qx = max(abs(fx - 0.5) - (0.5 - m - rad), 0)
        qy = max(abs(fy - 0.5) - (0.5 - m - rad), 0)
        inside = math.hypot(qx, qy) <= rad
        if not inside:
            return (0, 0, 0, 0)
        ring, needle = coverage(size, 0.5 + (fx - 0.5) / 0.78, 0.5 + (fy - 0.5) / 0.78)
        if ring:
            return (255, 122, 26, 255)
        if needle:
            return (240, 240, 240, 255)
        return (16, 20, 24, 255)
    return pixel


os.makedirs(os.path.join(HERE, 'tray'), exist_ok=True)
png(os.path.join(HERE, 'tray', 'tray-16.png'), 16, colour(16))
png(os.path.join(HERE, 'tray', 'tray-32.png'), 32, colour(32))
png(os.path.join(HERE, 'tray', 'trayTemplate.png'), 16, template(16))
png(os.path.join(HERE, 'tray', 'trayTemplate@2x.png'), 32, template(32))
png(os.path.join(HERE, 'icon.png'), 512, app_icon(512))
print('icons written')
