// Log text as a terminal may be given it: lines end with "\r\n" (a terminal's "\n" only moves down), colour
// sequences (SGR, "ESC [ … m") pass so coloured log levels stay coloured, and every other control is neutralised —
// a container must not be able to move the cursor over earlier lines, retitle the terminal, write hyperlinks or the
// clipboard (OSC), or ring the bell. A lone ESC shows as "␛"; other C0/C1 controls are dropped (tab kept).
// What a line's SGR sets ends with the line: attributes are reset before its end, so one pod printing ESC[8m
// (conceal) or a colour it never resets cannot hide or colour later lines, other pods' lines, or our markers.

// ESC not starting an SGR sequence; C0 controls but tab and newline; DEL; C1 controls (8-bit CSI/OSC among them).
const UNSAFE = /\x1b(?!\[[0-9;:]*m)|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

/** SGR 0: every attribute back to the terminal's default. */
export const RESET_ATTRIBUTES = '\x1b[0m';

export function terminalText(text: string): string {
  const safe = UNSAFE.test(text) ? text.replace(UNSAFE, (c) => (c === '\x1b' ? '␛' : '')) : text;
  UNSAFE.lastIndex = 0;
  // Only SGR sequences are left: without one nothing was set (the common case, left as it is).
  if (!safe.includes('\x1b')) return safe.replaceAll('\n', '\r\n');
  return safe
    .split('\n')
    .map((line, i, all) => (i === all.length - 1 && line === '' ? line : `${line}${leavesAttributes(line) ? RESET_ATTRIBUTES : ''}`))
    .join('\r\n');
}

/** Whether a line's last SGR sequence leaves an attribute set (anything but a plain reset, ESC[m or ESC[0m). */
function leavesAttributes(line: string): boolean {
  const at = line.lastIndexOf('\x1b[');
  return at >= 0 && !/^\x1b\[0*m/.test(line.slice(at, at + 12));
}

/** Resets the attributes, clears a terminal's screen and scrollback, cursor home. */
export const CLEAR_TERMINAL = `${RESET_ATTRIBUTES}\x1b[2J\x1b[3J\x1b[H`;
