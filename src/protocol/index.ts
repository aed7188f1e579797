// The engine <-> extension protocol: every request and notification, by area. Both sides
// import the definitions from here, so a method name exists exactly once. The other contracts
// between processes sit beside it, imported by path: the engine's exit codes (exit.ts) and the
// language server's messages beyond LSP (languageServer.ts, free of any RPC package).
export * as build from './build';
export * as scan from './scan';
export * as packages from './packages';
export * as logs from './logs';
export * as engine from './engine';
export * as publish from './publish';
export * as master from './master';
export * as sandbox from './sandbox';
export { PROTOCOL_VERSION } from './common';
export { check, ProtocolError, RpcErrors, type NotificationDef, type RequestDef } from './rpc';

import * as build from './build';
import * as scan from './scan';
import * as packages from './packages';
import * as logs from './logs';
import * as engine from './engine';
import * as publish from './publish';
import * as master from './master';
import * as sandbox from './sandbox';
import type { NotificationDef, RequestDef } from './rpc';
import type { z } from 'zod';

/** Requests the engine answers. */
export const requests: RequestDef<z.ZodType, z.ZodType>[] = [
  engine.Hello,
  engine.Shutdown,
  build.Start,
  build.Cancel,
  build.Status,
  build.Rebuild,
  logs.Follow,
  logs.Unfollow,
  publish.Publish,
  publish.MailReport,
  sandbox.Cleanup,
];

/** Notifications the engine sends. */
export const notifications: NotificationDef<z.ZodType>[] = [
  engine.EngineErrored,
  build.StageChanged,
  build.Summary,
  scan.ScanProgressed,
  scan.ScanFinished,
  packages.PackageQueued,
  packages.PackageStarted,
  packages.PackagePhase,
  packages.PackageFinished,
  logs.LogChunked,
  master.ClientChanged,
];
export { EngineClient } from './client';
