// One object followed on its own, whole, for as long as a Reveal in YAML document shows it: its collection listed
// narrowed to its name (fieldSelector metadata.name=…, a GET that also gives the resourceVersion to watch from) and
// watched from there through the cluster's client, by the same list+watch the tree's caches use (resume, relist on
// 410 Gone, backoff). The tree's caches keep only what rows read (core/liqo/cachedObjects.ts), so the document must
// not read them: this follows every change of the object, shown in a row or not.
import { withTypeMeta, type ObjectLocation } from '../../core/liqo/objectLocation.ts';
import { withoutManagedFields } from '../../core/liqo/cachedObjects.ts';
import type { KubeObject } from '../../core/liqo/objects.ts';
import type { FollowedObject } from '../../core/liqo/objectYaml.ts';
import { DEFAULT_BACKOFF, ResourceWatch, type BackoffOptions, type WatchSource } from './resourceWatch.ts';

export class ObjectFollow {
  /** The client the object is read through (a reloaded kubeconfig may give the cluster another one). */
  readonly source: WatchSource;
  private readonly watch: ResourceWatch;
  private readonly location: ObjectLocation;
  private answered = false;
  private readonly firstAnswer: Promise<void>;

  /** `onChange`: the object or the state of reading it changed (called after the first answer too). */
  constructor(source: WatchSource, location: ObjectLocation, onChange: () => void, backoff: BackoffOptions = DEFAULT_BACKOFF) {
    this.source = source;
    this.location = location;
    let answer = (): void => undefined;
    this.firstAnswer = new Promise<void>((resolve) => (answer = resolve));
    const keep = (o: KubeObject): KubeObject => withTypeMeta(withoutManagedFields(o), location);
    this.watch = new ResourceWatch(source, { path: location.collection, fieldSelector: `metadata.name=${location.name}`, keep }, () => {
      this.answered = true;
      answer();
      onChange();
    }, backoff);
  }

  start(): void {
    this.watch.start();
  }

  stop(): void {
    this.watch.stop();
  }

  /** Resolves once the server answered (the object, its absence or an error), or at once if it already did. */
  answer(): Promise<void> {
    return this.firstAnswer;
  }

  /** The object as last read; kept through a transport failure (the watch resumes), gone once a read says so. */
  get current(): FollowedObject {
    const object = this.watch.objects.get(this.location.key);
    if (object) return { kind: 'present', object };
    const s = this.watch.state;
    if (!this.answered || s.kind === 'loading') return { kind: 'loading' };
    if (s.kind === 'ready' || s.kind === 'absent') return { kind: 'gone' };
    return { kind: 'unreadable', message: s.message };
  }
}
