// The map's colours as VS Code's theme CSS variables (light, dark and high-contrast themes set them); shared by the
// page's stylesheet and by the webview script, which resolves them to values for an export.
import type { MapPalette } from '../../core/federation/svg.ts';

export const THEME_PALETTE: MapPalette = {
  background: 'var(--vscode-editor-background)',
  foreground: 'var(--vscode-editor-foreground)',
  muted: 'var(--vscode-descriptionForeground)',
  nodeFill: 'var(--vscode-editorWidget-background)',
  border: 'var(--vscode-contrastBorder, var(--vscode-editorWidget-border, var(--vscode-descriptionForeground)))',
  healthy: 'var(--vscode-testing-iconPassed)',
  pending: 'var(--vscode-list-warningForeground)',
  failed: 'var(--vscode-errorForeground)',
  unknown: 'var(--vscode-disabledForeground)',
  match: 'var(--vscode-editor-findMatchHighlightBorder, var(--vscode-focusBorder))',
  fontFamily: 'var(--vscode-font-family)',
};

