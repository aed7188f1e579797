import { lintCommand } from './lint';
import { reportCommand } from './report';
import { resolveCommand } from './resolve';
import { sandboxCommand } from './sandbox';
import { treeCommand } from './tree';
import type { Command } from './types';

// Each command registers here; keep the list sorted.
export const commands: Command[] = [lintCommand, reportCommand, resolveCommand, sandboxCommand, treeCommand];
