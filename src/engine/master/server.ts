// What the scan and the build master share: bind the port (IPv4, SO_REUSEADDR as Node always
// sets it, so a limited build's next scan round binds the same port at once), run the start
// script and hand out jobs only after it exited 0, name and number the peers, report listed
// clients that never connect, and end every connection cleanly when done or stopped (the
// clients read end-of-file and exit 0, as pbulk's do).
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { clientEvent, confProblem, ROLE_VARS, type MasterContext } from './context';
import { MasterError } from './errors';
import { ClientNames, plainAddress } from './names';
import { runStartScript } from './start-script';

export interface PeerBase {
  socket: Socket;
  host: string;
  slot: number;
  /** address:port */
  peer: string;
  /** Counted as a client (a statistics request is not one): its leaving is news. */
  announced: boolean;
}

/** How long close() gives the clients to close their side after end-of-file. */
const CLOSE_GRACE_MS = 2000;

export abstract class MasterServer<P extends PeerBase> {
  protected readonly peers = new Set<P>();
  protected started = false;
  protected closing = false;
  protected failure: MasterError | undefined;
  private server: Server | undefined;
  private slots = 0;
  private waitTimer: NodeJS.Timeout | undefined;
  private readonly stop = new AbortController();
  /** The address actually listened on. */
  port = 0;

  constructor(
    protected readonly ctx: MasterContext,
    protected readonly names: ClientNames,
  ) {}

  protected get vars() {
    return ROLE_VARS[this.ctx.role];
  }

  /** Binds the port, then starts the clients in the background. */
  async open(): Promise<void> {
    const { host, port } = this.ctx.spec.address;
    const server = createServer({ noDelay: true }, (s) => this.connection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) =>
        reject(
          new MasterError(
            `Could not bind socket ${host}:${port} for the ${this.ctx.role} master: ${e.code === 'EADDRINUSE' ? 'address already in use (another master, or another program, listens there)' : e.code === 'EADDRNOTAVAIL' ? 'no interface of this host has that address' : e.message}`,
            this.vars.port,
          ),
        ),
      );
      server.listen({ host, port, backlog: 5 }, () => resolve());
    });
    server.on('error', () => undefined);
    this.server = server;
    const a = server.address();
    this.port = a && typeof a === 'object' ? a.port : port;
    void this.startClients();
  }

  private async startClients(): Promise<void> {
    const script = this.ctx.spec.startScript;
    try {
      if (script) {
        const { cfg } = this.ctx;
        await runStartScript({
          script,
          variable: this.vars.script,
          env: { PBULK_CONF: cfg.configFile, PKGSRC_BULK_MASTER: `${this.ctx.spec.address.host}:${this.port}`, PKGSRC_BULK_ROLE: this.ctx.role },
          logFile: join(cfg.metaDir, `clients-${this.ctx.role}.log`),
          signal: this.stop.signal,
        });
      }
      if (this.closing) return;
      this.started = true;
      this.waitTimer = setTimeout(() => this.reportMissing(), this.ctx.cfg.settings.clientWaitMs);
      this.waitTimer.unref();
      this.onStarted();
    } catch (e) {
      if (this.closing) return;
      this.failure = e instanceof MasterError ? e : new MasterError(`Start script failed: ${(e as Error).message}`, this.vars.script);
      confProblem(this.ctx, 'error', 'start-script', this.failure.message, this.failure.variable);
      this.onFailure(this.failure);
    }
  }

  private reportMissing(): void {
    if (this.closing) return;
    const secs = Math.round(this.ctx.cfg.settings.clientWaitMs / 1000);
    for (const e of this.names.missing()) {
      const message = `${e.entry} in ${this.vars.clients} has not connected to the ${this.ctx.role} master ${secs} s after the start script ended${e.addresses.length === 0 ? ` (${e.host} does not resolve to an IPv4 address here)` : ''}; the build goes on with the others`;
      clientEvent(this.ctx, { change: 'missing', host: e.host, message, connected: this.clients() });
      confProblem(this.ctx, 'warning', 'client-missing', message, this.vars.clients);
    }
    if (this.clients() === 0) {
      confProblem(
        this.ctx,
        'warning',
        'no-clients',
        `no ${this.ctx.role} client has connected to ${this.ctx.spec.address.host}:${this.port} ${secs} s after ${this.vars.script} ended: the master waits for them (${join(this.ctx.cfg.metaDir, `clients-${this.ctx.role}.log`)} has the start script's output); Stop ends the build`,
        this.vars.clients,
      );
    }
  }

  private connection(socket: Socket): void {
    if (this.closing) {
      socket.destroy();
      return;
    }
    socket.setKeepAlive(true, 60_000);
    const address = plainAddress(socket.remoteAddress);
    const host = this.names.label(address);
    const peer = this.accept({ socket, host, slot: -1, peer: `${address}:${socket.remotePort ?? 0}`, announced: false });
    this.peers.add(peer);
    socket.on('data', (d: Buffer) => {
      if (this.peers.has(peer)) this.data(peer, d);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (!this.peers.delete(peer)) return;
      this.lost(peer);
    });
    this.connected(peer);
  }

  /** Counts the peer as a client from now on (and gives it its slot number). */
  protected announce(peer: P): void {
    if (peer.announced) return;
    peer.announced = true;
    peer.slot = this.slots++;
    clientEvent(this.ctx, {
      change: 'connected',
      host: peer.host,
      peer: peer.peer,
      slot: peer.slot,
      message: `${peer.host} (${peer.peer}) connected to the ${this.ctx.role} master`,
      connected: this.clients(),
    });
  }

  /** Connected peers that are clients. */
  protected clients(): number {
    let n = 0;
    for (const p of this.peers) if (p.announced) n++;
    return n;
  }

  /** Closes a peer that broke the protocol; its job, if any, goes back to the queue. */
  protected garbage(peer: P, why: string): void {
    if (!this.peers.delete(peer)) return;
    peer.socket.destroy();
    const held = this.lost(peer, true);
    const message = `${peer.host} (${peer.peer}) broke pbulk's ${this.ctx.role} protocol: ${why}; connection closed${held ? `, ${held} goes back to the queue` : ''}`;
    clientEvent(this.ctx, {
      change: 'garbage',
      host: peer.host,
      peer: peer.peer,
      ...(peer.slot >= 0 ? { slot: peer.slot } : {}),
      message,
      connected: this.clients(),
    });
    this.ctx.hub.emit('error', { severity: 'warning', message, code: 'client-garbage', time: Date.now() });
  }

  /** Ends a peer's connection on the master's initiative (the client reads end-of-file). */
  protected hangUp(peer: P): void {
    if (!this.peers.delete(peer)) return;
    peer.socket.end();
  }

  protected abstract accept(base: PeerBase): P;
  protected abstract connected(peer: P): void;
  protected abstract data(peer: P, d: Buffer): void;
  /** The peer is gone; returns what it held (requeued), for messages. `quiet`: no event of its own. */
  protected abstract lost(peer: P, quiet?: boolean): string | undefined;
  protected abstract onStarted(): void;
  protected abstract onFailure(e: MasterError): void;

  /** Ends every connection cleanly and stops listening; waits briefly for the clients to go. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.stop.abort();
    if (this.waitTimer) clearTimeout(this.waitTimer);
    const sockets = [...this.peers].map((p) => p.socket);
    this.peers.clear();
    this.server?.close();
    for (const s of sockets) s.end();
    const gone = Promise.all(sockets.map((s) => (s.destroyed ? Promise.resolve() : new Promise<void>((r) => s.once('close', () => r())))));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([gone, new Promise<void>((r) => (timer = setTimeout(r, CLOSE_GRACE_MS)))]);
    clearTimeout(timer);
    for (const s of sockets) s.destroy();
  }
}
