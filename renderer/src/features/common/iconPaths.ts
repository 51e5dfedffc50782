/** The Burnrate mark's path (a flame, 24 × 24): Icons.tsx draws it, and so does the served first paint (renderer/src/firstPaint.ts). */
export const FLAME_PATH =
  'M12.6 2.2c.4 3-1 4.8-2.5 6.5C8.6 10.4 7 12.1 7 14.8 7 18.2 9.3 21 12.5 21s5.5-2.6 5.5-6c0-2.3-1-4-2.1-5.2-.2 1.5-.9 2.6-1.9 3.2.4-3.3-.6-7.3-1.4-9.8Zm-.1 16.6c-1.6 0-2.8-1.3-2.8-3 0-1.4.8-2.3 1.6-3.2.5-.6 1-1.1 1.3-1.8.9 1.4 2.7 2.6 2.7 5 0 1.7-1.2 3-2.8 3Z';
