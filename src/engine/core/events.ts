// The engine's events are the protocol's notifications, payloads and all: the JSON-RPC server
// forwards them unchanged and the CLI prints them. Listeners are plain callbacks; no event is
// ever polled for.
import type { z } from 'zod';
import * as build from '../../protocol/build';
import * as engine from '../../protocol/engine';
import * as logs from '../../protocol/logs';
import * as master from '../../protocol/master';
import * as packages from '../../protocol/packages';
import * as scan from '../../protocol/scan';

export const EVENTS = {
  stage: build.StageChanged,
  summary: build.Summary,
  scanProgress: scan.ScanProgressed,
  scanFinished: scan.ScanFinished,
  queued: packages.PackageQueued,
  started: packages.PackageStarted,
  phase: packages.PackagePhase,
  finished: packages.PackageFinished,
  chunk: logs.LogChunked,
  error: engine.EngineErrored,
  client: master.ClientChanged,
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<K extends EventName> = z.infer<(typeof EVENTS)[K]['params']>;
export type Listener = <K extends EventName>(name: K, payload: EventPayload<K>) => void;

export class EventHub {
  private readonly listeners = new Set<Listener>();

  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // A broken listener (a client gone mid-send) must not stop the build.
      }
    }
  }
}
