/**
 * CPU time of processes, from `/proc/<pid>/stat` (user + system), so the HTTP
 * benchmark can say what each answered request cost the server's core: the
 * server process itself and, for Verdict on PostgreSQL, the database backends
 * serving it. Closed-loop throughput on one core is the inverse of that cost,
 * which makes a ratio goal a budget in microseconds per request.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of the `/proc` counters (`getconf CLK_TCK`, 100 on Linux when absent). */
const TICKS_PER_SECOND = (() => {
  const out = spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim();
  const n = Number(out);
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** CPU seconds `pid` has used so far (user + system), or null where `/proc` cannot tell (not Linux, exited). */
export function cpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name in parentheses may hold spaces: the fields counted from after it
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds of a set of processes; processes `/proc` cannot read count as 0. */
export function totalCpuSeconds(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + (cpuSeconds(pid) ?? 0), 0);
}

/** Whether CPU time can be read here at all (Linux `/proc`). */
export const CPU_READABLE = cpuSeconds(process.pid) !== null;
