import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** End-to-end tests run the production builds (client and server); make sure they are current. */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'server/scripts/ensure-build.ts')],
    { cwd: root, stdio: 'inherit' },
  );
}
