// liqo.federation.openState: a saved federation record becomes the reference that drift (and the restore plan)
// compare with, instead of the latest automatic record.
import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import type { Command } from './command.ts';
import { recordFromYaml } from '../../core/federation/recordYaml.ts';

export const openFederationState: Command = {
  id: 'liqo.federation.openState',
  async run({ federationStates }, arg?: unknown): Promise<string | undefined> {
    const given = arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : undefined;
    const uri = given ?? (await vscode.window.showOpenDialog({ title: 'Open Federation State', filters: { YAML: ['yaml', 'yml'] }, canSelectMany: false }))?.[0];
    if (!uri) return undefined;
    const record = recordFromYaml(await readFile(uri.fsPath, 'utf8'), uri.fsPath);
    federationStates.open(record, uri.fsPath);
    void vscode.window.showInformationMessage(`Federation state of ${record.takenAt} (${record.clusters.length} clusters) is now the reference: Show Federation Drift compares with it.`);
    return uri.fsPath;
  },
};
