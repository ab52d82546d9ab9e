import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * Writes this build's file list and id into dist/sw.js (copied from public/), so the
 * service worker precaches every chunk (the scanner's too, even if it was never opened
 * online) and a new deploy installs a new worker.
 */
export function swPrecache(): Plugin {
  let files: string[] = [];
  let outDir = '';
  return {
    name: 'coopetition-sw-precache',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    generateBundle(_options, bundle) {
      files = Object.keys(bundle)
        .filter((name) => !name.startsWith('.vite/') && !name.endsWith('.map'))
        .map((name) => `/${name}`);
    },
    writeBundle() {
      const swPath = path.join(outDir, 'sw.js');
      const publicFiles = ['/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png'];
      const precache = [...new Set([...files, ...publicFiles])].sort();
      const buildId = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12);
      const source = readFileSync(swPath, 'utf8')
        .replace("const BUILD_ID = 'dev';", `const BUILD_ID = '${buildId}';`)
        .replace('const PRECACHE = [];', `const PRECACHE = ${JSON.stringify(precache)};`);
      writeFileSync(swPath, source);
    },
  };
}
