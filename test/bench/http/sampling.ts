/**
 * In-process CPU sampling through the inspector (what `node --cpu-prof` does, but started and
 * stopped around the part of a run that matters: a server under its timed load, not its start).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** Starts sampling this thread every `intervalUs`; the returned function stops and writes the `.cpuprofile` to `path`. */
export async function startSampling(intervalUs = 100): Promise<(path: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((done, fail) => session.post(method, params ?? {}, (error, result) => (error ? fail(error) : done(result))));
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalUs });
  await post('Profiler.start');
  return async (path) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
  };
}

/** SIGUSR2 starts sampling; the next SIGUSR2 writes the profile to `path` and prints `{"profiled": path}`. */
export function sampleOnSignal(path: string): void {
  let stop: ((path: string) => Promise<void>) | null = null;
  process.on('SIGUSR2', () => {
    void (async () => {
      if (stop === null) stop = await startSampling();
      else {
        await stop(path);
        stop = null;
        process.stdout.write(`${JSON.stringify({ profiled: path })}\n`);
      }
    })();
  });
}
