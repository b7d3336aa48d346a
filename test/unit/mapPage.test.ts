// The map's page (src/ui/map/mapHtml.ts, no vscode in it): the first picture is in the page itself, so it is on
// screen once the page is parsed, and the bundled script is inline under the page's nonce, so the page asks for no
// resource before it runs; the Content-Security-Policy stays nonce-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mapHtml } from '../../src/ui/map/mapHtml.ts';
import { buildFederationGraph } from '../../src/core/federation/graph.ts';
import { INITIAL_VIEW_STATE, mapView } from '../../src/core/federation/mapView.ts';
import { layoutMap } from '../../src/core/federation/layout.ts';
import { renderMapSvg } from '../../src/core/federation/svg.ts';
import { generateFederation } from './federationGenerator.ts';

const svg = renderMapSvg(layoutMap(mapView(buildFederationGraph(generateFederation({ clusters: 3, perFederation: 3, providersPerCluster: 1, namespacesPerConsumer: 1, podsPerNamespace: 1 })), INITIAL_VIEW_STATE)));
const base = { scriptUri: 'vscode-resource:/ext/dist/map.js', cspSource: 'vscode-resource:', nonce: 'n0nce' };

test('the first picture is in the page: its SVG in the canvas with its sequence number, its summary escaped', () => {
  const html = mapHtml({ ...base, picture: { svg, summary: '3 clusters · <b>2</b> peerings', seq: 7 } });
  const canvas = /<div id="canvas"[^>]*data-seq="7">([\s\S]*?)<\/div>\n<div id="details"/.exec(html);
  assert.ok(canvas, 'the canvas carries the picture and its sequence number');
  assert.equal(canvas[1], svg);
  assert.equal((svg.match(/<g class="node /g) ?? []).length, 3, 'three clusters drawn');
  assert.match(html, /<span id="summary"[^>]*>3 clusters · &lt;b&gt;2&lt;\/b&gt; peerings<\/span>/);
});

test('without a picture the canvas is empty (the script asks for one)', () => {
  const html = mapHtml(base);
  assert.match(html, /<div id="canvas"[^>]*><\/div>/);
  assert.doesNotMatch(html, /data-seq/);
});

test('the script is inline under the nonce when its text is given; the policy allows no inline script without it', () => {
  const html = mapHtml({ ...base, scriptText: 'console.log("map")' });
  assert.match(html, /<script nonce="n0nce">console\.log\("map"\)<\/script>/);
  assert.doesNotMatch(html, /<script[^>]* src=/, 'no script loaded by URI');
  const csp = /content="([^"]*)"/.exec(html)![1]!;
  assert.match(csp, /script-src 'nonce-n0nce'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
});

test('a script text that could end its element early is loaded by URI instead', () => {
  for (const text of ['var s = "</script><script>alert(1)";', 'var c = "<!-- x";']) {
    const html = mapHtml({ ...base, scriptText: text });
    assert.ok(!html.includes(text), 'the text is not in the page');
    assert.match(html, /<script nonce="n0nce" src="vscode-resource:\/ext\/dist\/map\.js"><\/script>/);
  }
});
