// `pkgsrc-bulk publish -c pbulk.conf`: pbulk's upload of a finished build, staged so the server
// switches at once: the report to report_rsync_target/<BUILD_START_DIR>, the packages to
// pkg_rsync_target when the gates pass. --rollback points the target at the previous upload.
import * as publishP from '../../protocol/publish';
import { publishOptions, runPublishCli } from '../publish/cli';
import { optionLines } from './options';
import { publish } from '../publish/upload';
import type { Command } from './types';

const flags = {
  'dry-run': { type: 'boolean', help: 'say what would be uploaded and run; change nothing' },
  force: { type: 'boolean', help: 'publish although the gates refuse' },
  'packages-only': { type: 'boolean', help: 'do not upload the report' },
  'report-only': { type: 'boolean', help: 'do not upload the packages' },
  rollback: { type: 'boolean', help: 'switch pkg_rsync_target back to the previous upload' },
} as const;

const usage = `usage: pkgsrc-bulk publish [-c pbulk.conf] [--settings FILE] [--dry-run] [--force]
                           [--packages-only | --report-only | --rollback] [--json]

Uploads the build in the bulklog as pbulk's upload phase does, with rsync and pbulk.conf's
pkg_rsync_args/pkg_rsync_target and report_rsync_args/report_rsync_target. The packages go
into a new directory beside pkg_rsync_target (<name>.<BUILD_START_DIR>), then the target, a
symbolic link, is switched to it at once; the previous upload is kept for --rollback. The
engine settings' publish.minPackages and publish.requiredPackages must be met.

${optionLines(publishOptions(flags))}

Exit status: 0 published, 1 an upload failed or the gates refused, 2 bad usage or config,
3 another engine holds the bulklog and cannot be reached.`;

export const publishCommand: Command = {
  name: 'publish',
  summary: 'upload the packages and the report (staged, switched at once, with rollback)',
  usage,
  options: publishOptions(flags),
  run(argv) {
    return runPublishCli({
      command: 'publish',
      usage,
      argv,
      flags,
      local: (_engine, cfg, f, log) => publish(cfg, { ...params(f), log }),
      remote: (client, f) => client.request(publishP.Publish, params(f)),
    });
  },
};

function params(f: Record<string, boolean>): publishP.PublishParams {
  return {
    ...(f['dry-run'] ? { dryRun: true } : {}),
    ...(f.force ? { force: true } : {}),
    ...(f.rollback ? { rollback: true } : {}),
    ...(f['packages-only'] ? { only: 'packages' as const } : f['report-only'] ? { only: 'report' as const } : {}),
  };
}
