/**
 * Runs the embedded store's command (`server/src/db/cli.ts`) as a child process, for the
 * crash, fuzz and benchmark runs that need the store in a process of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = fileURLToPath(new URL('../../server/src/db/cli.ts', import.meta.url));
const READY = /^listening on mongodb:\/\/([^\s]+):(\d+)$/m;

/** Stores still running; killed when this process exits so none is left behind. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface StoreProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** For the official driver: one standalone server, no discovery. */
  uri: string;
  /** Everything the process wrote so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  alive(): boolean;
  /** SIGTERM and wait: the store closes cleanly. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL and wait: no chance to flush anything. */
  kill9(): Promise<void>;
}

export interface SpawnStoreOptions {
  dbpath?: string;
  port?: number;
  /** Extra command arguments, e.g. `--compactAfterRecords 100`. */
  args?: string[];
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
}

/** Starts the store and resolves once it printed its `listening on` line. */
export function spawnStore(options: SpawnStoreOptions = {}): Promise<StoreProcess> {
  const args = ['--port', String(options.port ?? 0)];
  if (options.dbpath) args.push('--dbpath', options.dbpath);
  args.push(...(options.args ?? []));
  return spawnCli(args, options);
}

/** Runs the command with raw arguments; rejects with its output if it exits before ready. */
export function spawnCli(args: string[], options: SpawnStoreOptions = {}): Promise<StoreProcess> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), '--import', 'tsx', CLI, ...args],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const output = (): { stdout: string; stderr: string } => ({ stdout, stderr });

  return new Promise<StoreProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`store did not start in time\n${stdout}\n${stderr}`));
    }, options.readyTimeoutMs ?? 20_000);
    const onData = (): void => {
      const match = READY.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const port = Number(match[2]);
      resolve({
        child,
        pid: child.pid!,
        port,
        uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
        output,
        exited,
        alive: () => child.exitCode === null && child.signalCode === null,
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
        kill9: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          await exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const error = new Error(`store exited (code ${code}, signal ${signal}) before it was ready`);
      reject(Object.assign(error, { code, stdout, stderr }));
    });
  });
}

/** Resident set size of a process in bytes (Linux /proc; null elsewhere). */
export function rssOf(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}
