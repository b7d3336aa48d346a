// Log text as a terminal may be given it: lines end with "\r\n" (a terminal's "\n" only moves down), colour
// sequences (SGR, "ESC [ … m") pass so coloured log levels stay coloured, and every other control is neutralised —
// a container must not be able to move the cursor over earlier lines, retitle the terminal, write hyperlinks or the
// clipboard (OSC), or ring the bell. A lone ESC shows as "␛"; other C0/C1 controls are dropped (tab kept).

// ESC not starting an SGR sequence; C0 controls but tab and newline; DEL; C1 controls (8-bit CSI/OSC among them).
const UNSAFE = /\x1b(?!\[[0-9;:]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

export function terminalText(text: string): string {
  const safe = UNSAFE.test(text) ? text.replace(UNSAFE, (c) => (c === '\x1b' ? '␛' : '')) : text;
  UNSAFE.lastIndex = 0;
  return safe.replaceAll('\n', '\r\n');
}

/** Clears a terminal's screen and scrollback, cursor home. */
export const CLEAR_TERMINAL = '\x1b[2J\x1b[3J\x1b[H';
