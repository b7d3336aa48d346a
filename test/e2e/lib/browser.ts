// Debian's Chromium driven by playwright-core (no browser download): headless, no sandbox (root), no network
// chatter, a fresh profile per launch, and the harness's owner mark so a crashed browser is still swept.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { freshRunDir } from './paths.ts';
import { OWNER_VAR, sweepMarked } from './procs.ts';

export const chromiumPath = process.env.LIQO_E2E_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(name: string, viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium not found at ${chromiumPath}. On Debian: apt-get install -y chromium (or set LIQO_E2E_CHROMIUM).`);
  }
  const dir = freshRunDir(`chromium-${name.replace(/[^\w.-]+/g, '_')}`);
  const profile = join(dir, 'profile');
  const tmp = join(dir, 'tmp');
  mkdirSync(profile, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  const owner = `${process.env.LIQO_E2E_RUN_ID ?? `solo-${process.pid}`}/chromium-${name}`;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    viewport,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TMPDIR: tmp, XDG_CONFIG_HOME: join(dir, 'config'), XDG_CACHE_HOME: join(dir, 'cache'), LANG: 'en_US.UTF-8', [OWNER_VAR]: owner },
    timeout: 60_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let closed = false;
  return {
    context,
    page,
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => undefined);
      await sweepMarked(owner);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
