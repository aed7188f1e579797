// CPU time (user + system, ms) used so far by this process's finished children: fields
// cutime and cstime of /proc/self/stat, in clock ticks. On a shared machine wall times move
// with the load; the CPU the scans and builds themselves burn does not.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export function childCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the command name: state is field 3, cutime field 16 and cstime field 17.
    return ((Number(f[13]) + Number(f[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}
