// liqo.liqoctl.download: Download Liqoctl… — the release that matches a cluster's Liqo (asked, proposed from the
// first connected cluster with Liqo), checksum verified, into the extension's storage, then set as liqo.liqoctlPath.
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import { downloadAndUseLiqoctl } from '../operations/liqoctlReady.ts';
import { findLiqo } from '../../infra/liqo/liqoInstallation.ts';
import { parseLiqoVersion } from '../../core/liqoctl/version.ts';

export const downloadLiqoctl: Command = {
  id: 'liqo.liqoctl.download',
  async run(deps) {
    let proposed = '';
    for (const c of deps.model.clusters) {
      const client = deps.model.session(c.id)?.client;
      const v = client ? (await findLiqo(client, AbortSignal.timeout(5000)).catch(() => undefined))?.version : undefined;
      if (v && parseLiqoVersion(v)) {
        proposed = v;
        break;
      }
    }
    const version = await vscode.window.showInputBox({
      title: 'Download liqoctl: Liqo release',
      prompt: proposed ? `A connected cluster runs Liqo ${proposed}.` : 'Use the version your clusters run.',
      value: proposed,
      placeHolder: 'v1.0.1',
      validateInput: (v) => (parseLiqoVersion(v.trim()) ? undefined : `"${v}" is not a Liqo release version (e.g. v1.0.1).`),
    });
    if (!version) return;
    await downloadAndUseLiqoctl(deps, version.trim());
  },
};
