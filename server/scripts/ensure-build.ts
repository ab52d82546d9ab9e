/**
 * Builds what `npm start` runs, when it is missing or older than its sources, so a fresh
 * clone starts with no separate build step:
 * - the client (Vite) into client/dist;
 * - the server (esbuild) into server/dist: our TypeScript bundled into plain JavaScript,
 *   packages left to node_modules, so production runs with no TypeScript loader (less
 *   memory on the server and on the embedded store's thread, and a faster start).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) {
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** `npm run build` passes --force: build even when the outputs look current. */
const FORCE = process.argv.includes('--force');

/** True when `output` exists and is newer than every file under `sources`. */
function upToDate(output: string, sources: string[]): boolean {
  if (FORCE) return false;
  const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
  return builtAt >= Math.max(...sources.map((s) => newestMtime(path.join(root, s))));
}

const CLIENT_SOURCES = [
  'client/src',
  'client/public',
  'client/index.html',
  'client/vite.config.ts',
  'client/sw-precache.ts',
  'shared',
  'package-lock.json',
];
const SERVER_SOURCES = [
  'server/src',
  'shared',
  'package-lock.json',
  'server/scripts/ensure-build.ts',
];
export const SERVER_DIST = path.join(root, 'server/dist');
/**
 * How Node.js runs the server build (`npm start` spells the same flags), both measured with
 * `npm run bench` (2,000 sockets, full load):
 * - young-generation semi-spaces of 8 MB instead of V8's 16 MB: peak RSS about 40 MB lower;
 * - the heap grows to 2.5 times what survived the last full collection before the next
 *   one, instead of V8's own factor of up to 4: the application thread's heap peaked at
 *   171–176 MB instead of 249–264 MB, and peak RSS at 326–346 MB instead of 400–413 MB.
 * Neither changed throughput or latency beyond this machine's run-to-run noise.
 */
export const SERVER_NODE_FLAGS = [
  '--enable-source-maps',
  '--max-semi-space-size=8',
  '--heap-growing-percent=150',
];

function ensureClient(): void {
  const builtIndex = path.join(root, 'client/dist/index.html');
  if (upToDate(builtIndex, CLIENT_SOURCES)) {
    console.log('client build is up to date');
    return;
  }
  console.log(
    existsSync(builtIndex) ? 'client sources changed; rebuilding…' : 'building the client…',
  );
  execFileSync(
    process.execPath,
    [
      path.join(root, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'client/vite.config.ts',
    ],
    // Always a production build: under the test runner NODE_ENV is `test`, which would
    // otherwise bundle React's development build and drop production-only code (the
    // service worker registration).
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
}

/**
 * The esbuild options every server bundle uses. Bundles land in server/dist, one level
 * below server/ like server/src, so paths the code builds from `import.meta.url` (the
 * client build, package.json, the store thread's entry) resolve the same way.
 */
export function serverBundleOptions(entryPoints: Record<string, string>): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints,
    outdir: SERVER_DIST,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
  };
}

export async function ensureServerBuild(): Promise<void> {
  const entry = path.join(SERVER_DIST, 'index.mjs');
  if (upToDate(entry, SERVER_SOURCES)) {
    console.log('server build is up to date');
    return;
  }
  console.log('building the server…');
  await build(
    serverBundleOptions({
      index: 'server/src/index.ts',
      // Replaces the source tree's loader entry of the same name (see store-thread.ts).
      'store-thread.entry': 'server/src/db/store-thread.main.ts',
    }),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureClient();
  await ensureServerBuild();
}
