// The pbulk version configs are checked against: the `pkgsrcBulk.pbulkVersion` setting, else
// the version of a pbulk installed on this machine (read once from its example config), else the
// current one.
import { cachedProbe, realProbe } from '../pkgsrc/conf/probe';
import { detectPbulkVersion, type PbulkVersion } from '../pkgsrc/conf/version';

export class PbulkVersionSource {
  private detected: PbulkVersion | undefined;

  get(setting: string): PbulkVersion {
    if (setting.trim() !== '') return { version: setting.trim(), source: 'setting' };
    return (this.detected ??= detectPbulkVersion([], cachedProbe(realProbe)));
  }

  /** Forget the detected version (settings changed: maybe pbulk was installed meanwhile). */
  reset(): void {
    this.detected = undefined;
  }
}
