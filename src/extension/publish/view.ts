// The package repository's state for the report view: what `<bulklog>.publish.json` says
// (written by the engine after every build, publish and mail): pkg_summary's package count
// and time, the gates' verdict, the last upload and mail, the last failure. Pure (no vscode).
import { publishStatePath, readPublishState, type PublishStateFile } from '../../protocol/publish';

export type RepositoryView = PublishStateFile;

/** Undefined for a bulklog the engine never wrote a repository for (one from real pbulk). */
export async function repositoryView(bulklog: string): Promise<RepositoryView | undefined> {
  const s = await readPublishState(publishStatePath(bulklog));
  return Object.keys(s).length > 0 ? s : undefined;
}
