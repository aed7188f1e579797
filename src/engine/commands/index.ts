import type { Command } from './types';

// Each command registers here; keep the list sorted.
export const commands: Command[] = [];
