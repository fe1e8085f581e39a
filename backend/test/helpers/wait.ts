import { existsSync, readFileSync } from 'node:fs';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns true; false if `timeoutMs` passes first. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 25
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) {
      return true;
    }
    if (Date.now() >= deadline) {
      return false;
    }
    await sleep(intervalMs);
  }
}

/**
 * Whether a process is still running. A process that exited but was not reaped yet (a zombie: its
 * new parent after re-parenting may never call wait) counts as gone, so /proc is consulted too.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Resolves with the promise's value, or with undefined once `ms` have passed; never leaves a timer behind. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a failed "process should be gone" assertion shows: its /proc status and its log. */
export function describeProcess(pid: number, logFile?: string): Record<string, string> {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      return String(error);
    }
  };
  return {
    status: read(`/proc/${pid}/status`)
      .split('\n')
      .filter((l) => /^(State|PPid|Threads):/.test(l))
      .join('; '),
    log: logFile && existsSync(logFile) ? read(logFile) : '',
  };
}
