// liqo.map.export: Export Federation Map…: the current picture as SVG or PNG, or the graph as JSON. From the palette
// it asks the format and the file; a caller (a test, a task) may pass both: ('svg' | 'png' | 'json', path).
import * as vscode from 'vscode';
import type { Command } from './command.ts';
import type { ExportFormat } from '../map/messages.ts';

const FORMATS: readonly ExportFormat[] = ['svg', 'png', 'json'];

export const exportFederationMap: Command = {
  id: 'liqo.map.export',
  async run({ map }, format, target) {
    let chosen = typeof format === 'string' && (FORMATS as readonly string[]).includes(format) ? (format as ExportFormat) : undefined;
    if (format !== undefined && !chosen) throw new Error(`Unknown export format ${JSON.stringify(format)}: use svg, png or json.`);
    if (!map.isOpen) {
      map.show();
      await map.whenDrawn();
    }
    chosen ??= (
      await vscode.window.showQuickPick(
        [
          { label: 'SVG', description: 'the picture, scalable', format: 'svg' as const },
          { label: 'PNG', description: 'the picture, as an image', format: 'png' as const },
          { label: 'JSON', description: 'the graph: clusters, peerings, namespaces', format: 'json' as const },
        ],
        { title: 'Export Federation Map' },
      )
    )?.format;
    if (!chosen) return undefined;
    const uri = typeof target === 'string' ? vscode.Uri.file(target) : target instanceof vscode.Uri ? target : undefined;
    const written = await map.exportTo(chosen, uri);
    return written?.fsPath;
  },
};
