import { describe, expect, it } from 'vitest';
import { popoverPosition } from './popoverPosition';

const size = { width: 360, height: 480 };

describe('popoverPosition', () => {
  it.each([
    ['centres the popover under a macOS menu-bar icon', { x: 1000, y: 0, width: 22, height: 22 }, { x: 0, y: 25, width: 1440, height: 875 }, { x: 831, y: 29 }],
    ['puts the popover above a bottom Windows taskbar icon', { x: 1700, y: 1040, width: 24, height: 40 }, { x: 0, y: 0, width: 1920, height: 1040 }, { x: 1532, y: 556 }],
    ['keeps the popover inside the right edge', { x: 1430, y: 0, width: 22, height: 22 }, { x: 0, y: 25, width: 1440, height: 875 }, { x: 1080, y: 29 }],
    ['keeps the popover inside the left edge', { x: 2, y: 0, width: 22, height: 22 }, { x: 0, y: 25, width: 1440, height: 875 }, { x: 0, y: 29 }],
    ['uses the top-right corner when the tray bounds are unknown', { x: 0, y: 0, width: 0, height: 0 }, { x: 0, y: 32, width: 1920, height: 1048 }, { x: 1556, y: 36 }],
    ['works on a second display with an offset origin', { x: 2900, y: 0, width: 22, height: 22 }, { x: 1920, y: 25, width: 1440, height: 875 }, { x: 2731, y: 29 }],
  ])('%s', (_name, tray, workArea, expected) => {
    expect(popoverPosition(tray, size, workArea)).toEqual(expected);
  });
});
