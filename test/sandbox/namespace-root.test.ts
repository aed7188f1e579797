// The namespace backend run by root switches to pbulk.conf's unprivileged_user through the
// sandbox's own setpriv, as pkg-build's `su` steps do for DESTDIR packages (most of a real
// tree). Its root is a plain directory until a command's namespaces bind /usr/bin into it, so
// the tool must be found through those binds, not in the directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NamespaceBackend } from '../../src/engine/sandbox/backends/namespace';
import { dropScratch, ENV, requireRoot, scratch, specFor } from './fixtures';

test('namespace backend as root runs a step as another user of the sandbox /etc (setpriv from the bound /usr/bin)', async () => {
  requireRoot();
  const base = scratch('ns-root');
  try {
    const be = new NamespaceBackend({ warn: () => {} });
    const sb = await be.create(specFor(`${base}/ns`, []));
    try {
      const r = await sb.exec(['/bin/sh', '-c', 'id -un'], { env: ENV, cwd: '/tmp', capture: true, user: 'nobody' });
      assert.equal(r.stdout?.trim(), 'nobody');
    } finally {
      await sb.destroy();
    }
  } finally {
    dropScratch(base);
  }
});
