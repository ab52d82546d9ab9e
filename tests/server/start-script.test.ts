import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../server/scripts/ensure-build';

describe('npm start', () => {
  it('builds, then runs the server build with the Node.js flags the tests and the bench use', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(
      `tsx server/scripts/ensure-build.ts && node ${SERVER_NODE_FLAGS.join(' ')} server/dist/index.mjs`,
    );
  });
});
