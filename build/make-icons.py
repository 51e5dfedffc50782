#!/usr/bin/env python3
"""Draws Burnrate's icons (a gauge with a needle) as PNGs with no dependencies beyond zlib.

Outputs: build/icon.png (512 px app icon), build/tray/tray-16.png and tray-32.png (colour, for
Windows and Linux), build/tray/trayTemplate.png and trayTemplate@2x.png (black + alpha, macOS
template images that adapt to light and dark menu bars). Run: python3 build/make-icons.py

Tray states (main/core/trayText.ts trayIconState): normal (the files above), and for `warning`
(a budget threshold reached), `over` (over budget) and `stale` (stale data or an error) the same
files with the state in the name: tray-warning-16.png, trayWarningTemplate.png, … A state is told
by shape, not only by colour (templates are monochrome): warning adds a dot at the top right,
over a larger filled badge, stale draws the ring dashed and faint.
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


BADGE = {'warning': (0.84, 0.16, 0.13), 'over': (0.80, 0.20, 0.20)}


def state_coverage(size, fx, fy, state):
    """(ring, needle, badge) coverage for a tray state."""
    ring, needle = coverage(size, fx, fy)
    if state == 'stale' and ring:
        # Dashed ring: every other 30-degree arc.
        angle = math.degrees(math.atan2(-(fy - 0.56), fx - 0.5)) % 360
        ring = int(angle // 30) % 2 == 0
    badge = False
    if state in BADGE:
        bx, by, br = BADGE[state]
        badge = math.hypot(fx - bx, fy - by) <= br
        if badge:
            ring = needle = False
        elif math.hypot(fx - bx, fy - by) <= br + 0.07:
            # A gap around the badge, so it reads as separate from the gauge.
            ring = needle = False
    return ring, needle, badge


def sample(size, x, y, n=4, state='normal'):
    ring = needle = badge = 0
    for i in range(n):
        for j in range(n):
            a, b, c = state_coverage(size, (x + (i + 0.5) / n) / size, (y + (j + 0.5) / n) / size, state)
            ring += a
            needle += b and not a
            badge += c
    return ring / (n * n), needle / (n * n), badge / (n * n)


RING = {'normal': (255, 122, 26), 'warning': (240, 180, 0), 'over': (225, 45, 45), 'stale': (150, 150, 150)}
BADGE_COLOUR = {'warning': (240, 180, 0), 'over': (225, 45, 45)}


def colour(size, state='normal'):
    rr, rg, rb = RING[state]
    br, bg, bb = BADGE_COLOUR.get(state, (0, 0, 0))
    def pixel(x, y):
        ring, needle, badge = sample(size, x, y, state=state)
        alpha = min(1.0, ring + needle + badge)
        if alpha == 0:
            return (0, 0, 0, 0)
        # Coloured ring, light needle, badge in the state colour.
        r = (rr * ring + 240 * needle + br * badge) / alpha
        g = (rg * ring + 240 * needle + bg * badge) / alpha
        b = (rb * ring + 240 * needle + bb * badge) / alpha
        return (int(r), int(g), int(b), int(255 * alpha * (0.6 if state == 'stale' else 1)))
    return pixel


def template(size, state='normal'):
    def pixel(x, y):
        ring, needle, badge = sample(size, x, y, state=state)
        return (0, 0, 0, int(255 * min(1.0, ring + needle + badge) * (0.55 if state == 'stale' else 1)))
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
        ring, needle = coverage(size, 0.5 + (fx - 0.5) / 0.78, 0.5 + (fy - 0.5) / 0.78)[:2]
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
for state in ('warning', 'over', 'stale'):
    png(os.path.join(HERE, 'tray', 'tray-%s-16.png' % state), 16, colour(16, state))
    png(os.path.join(HERE, 'tray', 'tray-%s-32.png' % state), 32, colour(32, state))
    png(os.path.join(HERE, 'tray', 'tray%sTemplate.png' % state.capitalize()), 16, template(16, state))
    png(os.path.join(HERE, 'tray', 'tray%sTemplate@2x.png' % state.capitalize()), 32, template(32, state))
png(os.path.join(HERE, 'icon.png'), 512, app_icon(512))
print('icons written')
