// The server process under hostile input, over the real protocol: random and binary texts, edits
// with out-of-range positions, requests for unknown documents. It answers every request (no
// error responses), keeps publishing diagnostics, and stays alive.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { TestLspClient } from './lspClient';

let client: TestLspClient;
before(async () => {
  client = await TestLspClient.start({ settings: { conf: { validationDelay: 0 } } });
});
after(async () => {
  await client.stop();
});

const text = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
  fc
    .array(fc.constantFrom('prefix=', '${', '$(', '"', "'", '\n', '\r', 'if ', 'fi', '#', 'lang/perl5', ' ', '@PREFIX@', '\0'), { maxLength: 40 })
    .map((a) => a.join('')),
);

test('random documents in both languages get diagnostics and answers, never errors', async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(text, fc.constantFrom('pbulk-conf', 'pkgsrc-limited-list'), fc.nat(50), fc.nat(200), async (t, lang, line, character) => {
      const uri = `file:///var/tmp/pkgsrc-bulk-robust/${n++}.${lang === 'pbulk-conf' ? 'pbulk.conf' : 'limited_list'}`;
      const p = await client.open(uri, t, lang);
      assert.ok(Array.isArray(p.diagnostics));
      // Positions past the end are clamped by the protocol library; none of these may fail.
      await client.completion(uri, line, character);
      await client.hover(uri, line, character);
      await client.definition(uri, line, character);
      await client.references(uri, line, character);
      await client.documentSymbols(uri);
      await client.documentLinks(uri);
      await client.change(uri, [{ range: { start: { line, character }, end: { line: line + 3, character: 0 } }, text: t.slice(0, 20) }]);
      await client.close(uri);
    }),
    { numRuns: 40 },
  );
  assert.equal(client.proc.exitCode, null, client.stderr);
});

test('requests for a document that is not open answer nothing', async () => {
  const uri = 'file:///var/tmp/pkgsrc-bulk-robust/never-opened.pbulk.conf';
  assert.equal(await client.hover(uri, 0, 0), null);
  assert.equal(await client.completion(uri, 0, 0), null);
  assert.equal(await client.documentSymbols(uri), null);
  assert.deepEqual(await client.codeActions(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'x' }]), []);
});
