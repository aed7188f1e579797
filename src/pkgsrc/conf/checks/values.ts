// Single-value formats: integers, the package suffix, the master address.
import { allVariables } from '../schema/index';
import type { CheckRun } from './run';

export function checkValues(run: CheckRun): void {
  for (const spec of allVariables()) {
    if (!spec.integer) continue;
    const value = run.value(spec.name);
    if (value === undefined) continue;
    const min = spec.integer.min;
    const range = run.anchor(spec.name);
    const trimmed = value.trim();
    if (!/^\d+$/.test(trimmed)) {
      run.report(
        range,
        'error',
        'integer-value',
        `${spec.name}='${value}' is not a whole number: the shell's numeric test fails ("integer expression expected")${min > 0 ? `; use ${min} or more` : ''}`,
        { variables: [spec.name] },
      );
    } else if (Number(trimmed) < min) {
      run.report(range, 'error', 'integer-value', `${spec.name}=${trimmed} must be at least ${min}`, { variables: [spec.name] });
    }
  }
  const sufx = run.value('pkg_sufx');
  if (sufx !== undefined && !/^\.[A-Za-z0-9]+$/.test(sufx)) {
    run.report(
      run.anchor('pkg_sufx'),
      'warning',
      'pkg-sufx',
      `pkg_sufx='${sufx}' does not look like a package suffix such as .tgz; it must equal PKG_SUFX of the bootstrap kit's mk.conf`,
      { variables: ['pkg_sufx'] },
    );
  }
  const ip = run.value('master_ip');
  if (ip !== undefined && run.masterMode() === true && !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    run.report(
      run.anchor('master_ip'),
      'warning',
      'master-ip',
      `master_ip='${ip}' is not a dotted IPv4 address: the port settings built from it are rejected by pbulk`,
      { variables: ['master_ip'] },
    );
  }
}
