import { ChildProcess, spawn } from 'node:child_process';
import { isRunning, waitUntil } from './wait';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** performance.now() when the exit was seen. */
  at: number;
}

/** A child process whose whole stdout and stderr are kept for later assertions. */
export class TrackedProcess {
  readonly pid: number;
  private out = '';
  private err = '';
  readonly exited: Promise<Exit>;
  exit?: Exit;

  constructor(readonly child: ChildProcess) {
    if (child.pid === undefined) {
      throw new Error('the child process did not start');
    }
    this.pid = child.pid;
    child.stdout?.setEncoding('utf8').on('data', (text: string) => (this.out += text));
    child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.err += text));
    // 'close' comes after 'exit' and after stdout/stderr have ended: every byte has been read.
    this.exited = new Promise((resolve) =>
      child.once('close', (code, signal) => {
        this.exit = { code, signal, at: performance.now() };
        resolve(this.exit);
      })
    );
  }

  get stdout(): string {
    return this.out;
  }

  get stderr(): string {
    return this.err;
  }

  /** Complete stderr lines (a trailing partial line is left out). */
  get stderrLines(): string[] {
    const lines = this.err.split('\n');
    lines.pop();
    return lines.filter((line) => line.length > 0);
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Resolves with the first stdout line, or rejects (with stderr attached) if the process ends first. */
  firstLine(timeoutMs = 20_000): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const end = this.out.indexOf('\n');
        if (end >= 0) {
          cleanup();
          resolve(this.out.slice(0, end));
          return true;
        }
        return false;
      };
      const onClose = () => {
        if (!check()) {
          cleanup();
          reject(
            new Error(`process ${this.pid} exited (${JSON.stringify(this.exit)}) before printing a line\n${this.err}`)
          );
        }
      };
      const onData = () => void check();
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no stdout line from process ${this.pid} within ${timeoutMs} ms\nstderr:\n${this.err}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.child.stdout?.off('data', onData);
        this.child.off('close', onClose);
      };
      // Registered after the constructor's listener, so this.out already holds the new text.
      this.child.stdout?.on('data', onData);
      this.child.once('close', onClose);
      check();
    });
  }

  /** SIGKILL unless already gone, then wait for the exit. */
  async kill(): Promise<void> {
    if (this.running) {
      this.child.kill('SIGKILL');
    }
    await this.exited;
  }
}

const live = new Set<TrackedProcess>();
const strayPids = new Set<number>();

/** Spawns a tracked child; `killAll()` (in afterEach/afterAll) ends whatever is still running. */
export function spawnTracked(command: string, args: string[], env: Record<string, string>): TrackedProcess {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tracked = new TrackedProcess(child);
  live.add(tracked);
  void tracked.exited.then(() => live.delete(tracked));
  return tracked;
}

/** A process the tests did not spawn directly (a grandchild) but must not leave behind. */
export function trackPid(pid: number): void {
  strayPids.add(pid);
}

export async function killAll(): Promise<void> {
  for (const pid of strayPids) {
    if (isRunning(pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  const stray = [...strayPids];
  strayPids.clear();
  await Promise.all([...live].map((p) => p.kill()));
  await waitUntil(() => stray.every((pid) => !isRunning(pid)), 5_000);
}
