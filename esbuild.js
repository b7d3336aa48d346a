// Bundles the extension (src/extension.ts → dist/extension.cjs) and the extension-host test suite.
// `node esbuild.js` builds for development (source maps); `--production` minifies for packaging; `--watch` rebuilds.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const withHostTests = process.argv.includes('--host-tests');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['vscode'],
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  // client-node and execa are ESM; bundling them into CommonJS needs import.meta.url mapped to the file URL.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('url').pathToFileURL(__filename).href;" },
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.cjs' },
  // The federation map's webview script: runs in the webview (a browser), loaded by the page with its CSP nonce.
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
    entryPoints: ['src/ui/map/webview/main.ts'],
    outfile: 'dist/map.js',
  },
];
if (withHostTests) {
  // out/host/index.cjs (the extensionTestsPath: mocha's run()) plus one out/host/**/*.test.cjs per suite, which run()
  // finds and loads at run time.
  builds.push({
    ...common,
    entryPoints: ['test/host/index.ts', 'test/host/**/*.test.ts'],
    outdir: 'out/host',
    outbase: 'test/host',
    outExtension: { '.js': '.cjs' },
    external: ['vscode', 'mocha'],
  });
}

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
