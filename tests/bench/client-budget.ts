/**
 * Client size budget, read from the production build (`npm run build` first):
 * - JS the first screen needs: the entry chunk and everything it imports statically;
 * - the scanner route's chunks (its page, its decoder worker, shared chunks it pulls in)
 *   and a check that none of the scanner-only files is part of the first screen;
 * - all JS in the build.
 * Prints numbers against the targets; not a test (exit code 0 either way).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  assets?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'client/dist');
const manifestPath = path.join(dist, '.vite/manifest.json');
const SCANNER_ENTRY = 'src/features/scan/ScanPage.tsx';
const TARGETS = { firstScreen: 120 * 1024, all: 300 * 1024 };

if (!existsSync(manifestPath)) {
  console.error('client/dist/.vite/manifest.json not found: run `npm run build` first.');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;

const gzipCache = new Map<string, number>();
function gzipBytes(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length;
    gzipCache.set(file, size);
  }
  return size;
}

/** A chunk and its static imports, transitively (what the browser must fetch before running it). */
function staticClosure(key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) staticClosure(dep, seen);
  return seen;
}

function jsFiles(keys: Iterable<string>): string[] {
  return [...keys].map((k) => manifest[k]?.file).filter((f): f is string => !!f?.endsWith('.js'));
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const total = (files: string[]) => files.reduce((sum, f) => sum + gzipBytes(f), 0);
function list(files: string[]): void {
  for (const f of [...files].sort((a, b) => gzipBytes(b) - gzipBytes(a))) {
    console.log(`    ${kb(gzipBytes(f)).padStart(9)}  ${f}`);
  }
}

const entryKey = Object.keys(manifest).find((k) => manifest[k]?.isEntry);
if (!entryKey) {
  console.error('No entry chunk in the manifest.');
  process.exit(1);
}
const firstScreen = jsFiles(staticClosure(entryKey));
const firstSet = new Set(firstScreen);

const scannerKeys = manifest[SCANNER_ENTRY] ? staticClosure(SCANNER_ENTRY) : new Set<string>();
const scannerWorkers = (manifest[SCANNER_ENTRY]?.assets ?? []).filter((f) => f.endsWith('.js'));
const scannerRoute = [...jsFiles(scannerKeys), ...scannerWorkers];
const scannerExtra = scannerRoute.filter((f) => !firstSet.has(f));
const scannerOnly = [manifest[SCANNER_ENTRY]?.file ?? '', ...scannerWorkers].filter(Boolean);
const leaked = scannerOnly.filter((f) => firstSet.has(f));

const allJs = readdirSync(path.join(dist, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => `assets/${f}`);

const verdict = (ok: boolean) => (ok ? 'OK' : 'OVER');
const firstTotal = total(firstScreen);
const allTotal = total(allJs);

console.log('Client JS budget (gzip -9, from client/dist)\n');
console.log(
  `First screen (entry + static imports): ${kb(firstTotal)}  target ≤ ${kb(TARGETS.firstScreen)}  ${verdict(firstTotal <= TARGETS.firstScreen)}`,
);
list(firstScreen);
console.log(
  `\nScanner route (/scan), loaded on demand: ${kb(total(scannerExtra))} on top of the first screen`,
);
list(scannerExtra);
console.log(
  `  scanner-only files in the first screen: ${leaked.length === 0 ? 'none  OK' : `${leaked.join(', ')}  FAIL`}`,
);
console.log(
  `\nAll JS: ${kb(allTotal)} in ${allJs.length} files  target ≤ ${kb(TARGETS.all)}  ${verdict(allTotal <= TARGETS.all)}`,
);
