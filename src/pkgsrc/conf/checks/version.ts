// config_version against the pbulk that will read the config: every phase script refuses to run
// on a mismatch, so this is an error whenever we know which pbulk that is.
import type { CheckRun } from './run';

export function checkConfigVersion(run: CheckRun): void {
  const target = run.version;
  const state = run.state('config_version');
  if (!state?.set) {
    if (!run.opaque) {
      run.report(
        run.start(),
        'error',
        'config-version',
        `config_version is not set: every pbulk phase exits with "Your configuration has version . This version of pbulk expects version ${target.version}."`,
        {
          variables: ['config_version'],
          fixes: [
            {
              title: `Add config_version=${target.version}`,
              edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `config_version=${target.version}\n` }],
            },
          ],
        },
      );
    }
    return;
  }
  const value = run.value('config_version');
  const a = run.finalAssignment('config_version');
  if (value === undefined || !a) return;
  const range = run.anchor('config_version');
  const fixes = [
    {
      title: `Set config_version to ${target.version}`,
      edits: [{ range: a.value.raw === '' ? { start: a.range.end, end: a.range.end } : a.value.range, newText: target.version }],
    },
  ];
  if (!/^[0-9]+(\.[0-9]+)*$/.test(value)) {
    if (/@[A-Z][A-Z0-9_]*@/.test(value)) return; // the placeholder check reports it
    run.report(range, 'error', 'config-version', `config_version '${value}' is not a version number: pbulk ${target.version} expects ${target.version}`, {
      fixes,
      variables: ['config_version'],
    });
    return;
  }
  if (value === target.version) return;
  const pbulkSays = `Your configuration has version ${value}. This version of pbulk expects version ${target.version}.`;
  if (target.source === 'default') {
    run.report(
      range,
      'warning',
      'config-version',
      `config_version ${value} differs from the current pbulk (${target.version}); no installed pbulk was found to compare with. A pbulk expecting ${target.version} stops every phase with "${pbulkSays}"`,
      { fixes, variables: ['config_version'] },
    );
  } else {
    const from = target.source === 'detected' ? `the installed pbulk (${target.file ?? 'detected'})` : 'the pbulk version chosen in the settings';
    run.report(
      range,
      'error',
      'config-version',
      `config_version ${value} does not match ${from}: every phase exits with "${pbulkSays}" Merge the new settings of the example config, then set ${target.version}.`,
      { fixes, variables: ['config_version'] },
    );
  }
}
