// A small pbulk protocol client written from the protocol text (pbulk-reference §5), sharing
// no code with the engine, for tests that need a peer the engine's own client would never be:
//   node wire-client.mjs stats HOST PORT     `S`, prints the seven counters as JSON
//   node wire-client.mjs garbage HOST PORT   sends bytes that are no command, prints how it ended
//   node wire-client.mjs hold HOST PORT      `G`, prints the PKGNAME it got, then holds it (no answer)
//   node wire-client.mjs fail HOST PORT      `G`, answers `F` to every package until the master hangs up
import { connect } from 'node:net';

const [mode, host, port] = process.argv.slice(2);
const sock = connect({ host, port: Number(port) });
let buf = Buffer.alloc(0);
const want = (n) =>
  new Promise((resolve, reject) => {
    const check = () => {
      if (buf.length >= n) {
        const out = buf.subarray(0, n);
        buf = buf.subarray(n);
        sock.off('data', onData);
        sock.off('close', onClose);
        resolve(out);
        return true;
      }
      return false;
    };
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      check();
    };
    const onClose = () => reject(new Error('closed'));
    if (!check()) {
      sock.on('data', onData);
      sock.on('close', onClose);
    }
  });

sock.on('connect', async () => {
  try {
    if (mode === 'stats') {
      sock.write('S');
      const b = await want(28);
      const names = ['open', 'in_processing', 'failed', 'prefailed', 'indirect_failed', 'indirect_prefailed', 'done'];
      console.log(JSON.stringify(Object.fromEntries(names.map((n, i) => [n, b.readUInt32BE(i * 4)]))));
      sock.end();
    } else if (mode === 'garbage') {
      sock.write('HELLO, is this the build master?\n');
      sock.on('data', () => undefined);
      sock.on('close', () => console.log('closed by the master'));
    } else if (mode === 'fail') {
      for (;;) {
        sock.write('G');
        let len;
        try {
          len = (await want(4)).readUInt32BE(0);
        } catch {
          console.log('closed by the master');
          return;
        }
        const info = (await want(len)).toString('latin1');
        console.log(`failing ${/^PKGNAME=(.*)$/m.exec(info)?.[1] ?? '?'}`);
        sock.write('F');
      }
    } else if (mode === 'hold') {
      sock.write('G');
      const len = (await want(4)).readUInt32BE(0);
      const info = (await want(len)).toString('latin1');
      console.log(/^PKGNAME=(.*)$/m.exec(info)?.[1] ?? '?');
      // Holds the package until killed.
    } else {
      console.error(`unknown mode ${mode}`);
      process.exit(2);
    }
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
});
sock.on('error', (e) => {
  console.error(e.message);
  process.exit(1);
});
