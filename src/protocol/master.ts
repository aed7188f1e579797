// Multi-host builds (pbulk's master mode): the clients of the scan and build masters coming
// and going. A client is named after the build_clients/scan_clients entry its address
// belongs to, else by its address; `slot` numbers its connections across the run.
import { z } from 'zod';
import { defineNotification } from './rpc';
import { pkgname, time } from './common';

export const clientChange = z.enum([
  /** Connected and taking jobs. */
  'connected',
  /** Closed its connection (or died); its package, if any, went back to the queue. */
  'disconnected',
  /** Failed too many packages in a row: its connection was closed by the master. */
  'dropped',
  /** Sent bytes that are not pbulk's protocol: its connection was closed. */
  'garbage',
  /** Listed in pbulk.conf but not connected some time after the start script ended. */
  'missing',
]);
export type ClientChange = z.infer<typeof clientChange>;

export const clientEvent = z.object({
  runId: z.string(),
  /** Which master: the scan or the build. */
  role: z.enum(['scan', 'build']),
  change: clientChange,
  /** The client list entry (e.g. `build1`, `pbulk@10.0.0.2`) or the peer's address. */
  host: z.string(),
  /** `address:port` of the connection, when there is one. */
  peer: z.string().optional(),
  slot: z.number().int().nonnegative().optional(),
  /** The package it held when it went away (put back in the queue). */
  pkgname: pkgname.optional(),
  /** A location it was scanning when it went away. */
  location: z.string().optional(),
  message: z.string(),
  /** Clients connected to this master after the change. */
  connected: z.number().int().nonnegative(),
  time,
});
export type ClientEvent = z.infer<typeof clientEvent>;
export const ClientChanged = defineNotification('master/client', clientEvent);
