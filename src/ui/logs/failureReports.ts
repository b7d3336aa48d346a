// "Why Is This Pod Failing?" documents, and an alert's "Why?": read-only virtual Markdown documents (scheme liqo-why)
// whose text is the report gathered when the command ran; running the command again on the same pod refreshes it.
import * as vscode from 'vscode';

export const WHY_SCHEME = 'liqo-why';

export class FailureReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(context: string, namespace: string, pod: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: WHY_SCHEME, path: `/${context}/${namespace}/${pod}.md` });
    this.texts.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  /**
   * Shows a report as it is read: the rendered Markdown preview (its text is Markdown-escaped, so the source would
   * read "cluster\\-b"). The preview command belongs to the built-in Markdown extension and is registered once that
   * activates, so it is run rather than looked up; when that extension is disabled, the source is shown instead.
   */
  async open(uri: vscode.Uri): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(doc, { preview: true });
    }
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This report is no longer available: run Why Is This Pod Failing? again.';
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
