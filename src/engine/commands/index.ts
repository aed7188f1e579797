import { reportCommand } from './report';
import { resolveCommand } from './resolve';
import type { Command } from './types';

// Each command registers here; keep the list sorted.
export const commands: Command[] = [reportCommand, resolveCommand];
