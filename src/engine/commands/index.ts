import { buildCommand } from './build';
import { clientCommand } from './client';
import { diffCommand } from './diff';
import { historyCommand } from './history';
import { lintCommand } from './lint';
import { mailCommand } from './mail';
import { publishCommand } from './publish';
import { reportCommand } from './report';
import { rebuildCommand } from './rebuild';
import { resolveCommand } from './resolve';
import { sandboxCommand } from './sandbox';
import { scanCommand } from './scan';
import { serveCommand } from './serve';
import { statusCommand } from './status';
import { treeCommand } from './tree';
import type { Command } from './types';

// Each command registers here; keep the list sorted.
export const commands: Command[] = [buildCommand, clientCommand, diffCommand, historyCommand, lintCommand, mailCommand, publishCommand, rebuildCommand, reportCommand, resolveCommand, sandboxCommand, scanCommand, serveCommand, statusCommand, treeCommand];
