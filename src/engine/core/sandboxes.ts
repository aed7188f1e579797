// The sandboxes of one run: one for scanning (pbulk-index runs share it) and one per build
// slot. Until the sandbox layer's pool is wired in, everything runs on the host in one slot.
import type { EngineConfig } from '../config/types';
import type { Sandbox } from '../sandbox/types';
import { hostBackend } from '../host-sandbox';

export interface RunSandboxes {
  backend: string;
  scan: Sandbox;
  build: Sandbox[];
  warnings: string[];
  destroy(): Promise<void>;
}

export async function openSandboxes(cfg: EngineConfig, jobs: number): Promise<RunSandboxes> {
  const spec = { root: '/', roDirs: [], rwDirs: [], copyDirs: [], createDirs: [], dev: false, proc: false };
  const box = await hostBackend.create(spec);
  const warnings = jobs > hostBackend.maxSlots ? [`the ${hostBackend.name} sandbox backend runs one build at a time (asked for ${jobs})`] : [];
  void cfg;
  return { backend: hostBackend.name, scan: box, build: [box], warnings, destroy: () => box.destroy() };
}
