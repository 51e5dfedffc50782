/**
 * Where the popover window goes: centred under the tray icon (macOS, Windows with a top bar,
 * most Linux panels), or above it when the tray sits at the bottom of the screen (Windows
 * taskbar), always kept inside the display's work area.
 */

/** A rectangle in screen coordinates (DIPs). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Gap between the tray icon and the popover (px). */
const GAP = 4;

/**
 * Top-left corner for a popover of `size` next to the tray icon `trayBounds` within `workArea`.
 * When the tray bounds are unknown (all zero, as on some Linux desktops), the popover goes to the
 * top-right corner of the work area.
 * @example popoverPosition({ x: 1000, y: 0, width: 22, height: 22 }, { width: 360, height: 480 }, { x: 0, y: 25, width: 1440, height: 875 })
 * //=> { x: 831, y: 29 }
 */
export function popoverPosition(
  trayBounds: Rect,
  size: { readonly width: number; readonly height: number },
  workArea: Rect,
): { x: number; y: number } {
  const clampX = (x: number) => Math.min(Math.max(x, workArea.x), workArea.x + workArea.width - size.width);
  const clampY = (y: number) => Math.min(Math.max(y, workArea.y), workArea.y + workArea.height - size.height);
  if (trayBounds.width === 0 && trayBounds.height === 0) {
    return { x: clampX(workArea.x + workArea.width - size.width - GAP), y: clampY(workArea.y + GAP) };
  }
  const x = clampX(Math.round(trayBounds.x + trayBounds.width / 2 - size.width / 2));
  const trayCentreY = trayBounds.y + trayBounds.height / 2;
  const trayAtBottom = trayCentreY > workArea.y + workArea.height / 2;
  const y = trayAtBottom
    ? clampY(trayBounds.y - size.height - GAP)
    : clampY(Math.max(trayBounds.y + trayBounds.height, workArea.y) + GAP);
  return { x, y };
}
