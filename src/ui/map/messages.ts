// The messages between the map's webview and the extension: the webview only draws what it is sent and reports what
// the user did (search, fold, click, export); it knows nothing of Kubernetes.
import type { MapPalette } from '../../core/federation/svg.ts';
import type { MapViewState } from '../../core/federation/mapView.ts';

export type ExportFormat = 'svg' | 'png' | 'json';

export type ToWebview =
  /** A new picture: SVG markup drawn by core, the summary line, the view state it was drawn for. */
  | {
      readonly type: 'picture';
      readonly svg: string;
      readonly summary: string;
      readonly state: MapViewState;
      readonly groups: readonly { readonly id: string; readonly size: number; readonly folded: boolean }[];
      readonly seq: number;
    }
  /** Focus (and show the details of) the node or edge with this id. */
  | { readonly type: 'focus'; readonly id: string }
  /** Draw this standalone SVG on a canvas and send back the PNG. */
  | { readonly type: 'rasterize'; readonly svg: string; readonly width: number; readonly height: number };

export type FromWebview =
  | { readonly type: 'ready' }
  /** A picture was put on screen (the latency benchmark and the e2e test wait for this). */
  | { readonly type: 'drawn'; readonly seq: number }
  | { readonly type: 'reveal'; readonly rowId: string; readonly entryId: string }
  | { readonly type: 'state'; readonly state: MapViewState }
  | { readonly type: 'export'; readonly format: ExportFormat; readonly palette: MapPalette }
  | { readonly type: 'png'; readonly dataUrl: string }
  /** The theme's colours as values: sent at start and whenever the theme changes (exports from the palette use them). */
  | { readonly type: 'palette'; readonly palette: MapPalette };
