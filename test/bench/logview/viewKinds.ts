// What both halves of `npm run bench -- logview` agree on: the candidate views, in the order they are measured, and
// the last line streamed into each (its arrival on screen stops the clock).
export const VIEWS = ['output', 'terminal', 'document'] as const;
export type ViewKind = (typeof VIEWS)[number];
export const endMarker = (view: string) => `LOGVIEW-END-${view}`;
