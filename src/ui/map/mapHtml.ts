// The map webview's page: a strict Content-Security-Policy (scripts and styles only with this page's nonce, images
// only from the webview itself, data: and blob: for the PNG export, no network), the bundled script (inline with the
// nonce when its text is at hand, so the page asks for no resource; else from dist/), the theme stylesheet written
// from VS Code's CSS variables (light, dark, high contrast) and, when there is one, the first picture already in the
// page: it is on screen as soon as the page is parsed, before the script loads or the extension answers it.
import { randomBytes } from 'node:crypto';
import { escapeXml, mapStyle } from '../../core/federation/svg.ts';
import { THEME_PALETTE } from './themePalette.ts';

export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The first picture put in the page: SVG markup from core/federation/svg.ts (every remote string escaped there). */
export interface PagePicture {
  readonly svg: string;
  readonly summary: string;
  readonly seq: number;
}

export interface MapPage {
  /** The bundled script's URI in the webview: used when `scriptText` is not given. */
  readonly scriptUri: string;
  /** The bundled script itself (dist/map.js), put inline with the nonce. */
  readonly scriptText?: string;
  readonly cspSource: string;
  readonly nonce: string;
  readonly picture?: PagePicture;
}

export function mapHtml(opts: MapPage): string {
  const { scriptUri, cspSource, nonce, picture } = opts;
  // A script text that could end its element early (or open an HTML comment in it) goes by URI instead.
  const inline = opts.scriptText !== undefined && !/<\/script|<!--/i.test(opts.scriptText) ? opts.scriptText : undefined;
  const script = inline !== undefined ? `<script nonce="${nonce}">${inline}</script>` : `<script nonce="${nonce}" src="${scriptUri}"></script>`;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Liqo Federation Map</title>
<style nonce="${nonce}">
body{margin:0;padding:0;color:var(--vscode-foreground);background:var(--vscode-editor-background);font-family:var(--vscode-font-family);font-size:var(--vscode-font-size)}
#toolbar{position:sticky;top:0;z-index:1;display:flex;gap:6px;align-items:center;padding:6px 8px;background:var(--vscode-editor-background);border-bottom:1px solid var(--vscode-panel-border, transparent)}
#toolbar input{flex:0 1 260px;background:var(--vscode-input-background);color:var(--vscode-input-foreground);border:1px solid var(--vscode-input-border, transparent);padding:3px 6px}
#toolbar input:focus{outline:1px solid var(--vscode-focusBorder)}
#toolbar button{background:var(--vscode-button-secondaryBackground);color:var(--vscode-button-secondaryForeground);border:1px solid var(--vscode-button-border, transparent);padding:3px 8px;cursor:pointer}
#toolbar button:hover{background:var(--vscode-button-secondaryHoverBackground)}
#summary{color:var(--vscode-descriptionForeground);margin-left:auto}
#canvas{padding:8px;overflow:auto}
#canvas svg{max-width:100%;height:auto}
#details{min-height:1.4em;padding:4px 8px;border-top:1px solid var(--vscode-panel-border, transparent);color:var(--vscode-foreground);white-space:pre-wrap}
.node,.edge,.namespace{cursor:pointer}
.node:focus,.edge:focus,.namespace:focus{outline:none}
.namespace:focus .ns-hit{stroke:var(--vscode-focusBorder);stroke-width:2}
.node:focus .box,.edge:focus .line{stroke:var(--vscode-focusBorder);stroke-width:3}
.dim{opacity:.35}
${mapStyle(THEME_PALETTE)}
</style>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="Federation map">
<input id="search" type="search" placeholder="Search clusters, IDs, namespaces" aria-label="Search clusters, cluster IDs and namespaces">
<button id="unfold" title="Unfold every federation">Unfold All</button>
<button id="fold" title="Fold every federation">Fold All</button>
<button id="export-svg" title="Save the picture as SVG">SVG</button>
<button id="export-png" title="Save the picture as PNG">PNG</button>
<button id="export-json" title="Save the graph as JSON">JSON</button>
<span id="summary" role="status" aria-live="polite">${picture ? escapeXml(picture.summary) : ''}</span>
</div>
<div id="canvas" role="application" aria-label="Federation map: Tab moves between clusters and peerings, Enter reveals the row in the Liqo view, Shift+F10 opens its menu"${picture ? ` data-seq="${picture.seq}">${picture.svg}` : '>'}</div>
<div id="details" role="status" aria-live="polite"></div>
${script}
</body>
</html>`;
}
