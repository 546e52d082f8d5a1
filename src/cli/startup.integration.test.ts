/**
 * The CLI's start-up budget (docs/ARCHITECTURE.md, "The command line"): `tpot --help`,
 * `tpot --version` and `tpot status` load none of the heavy packages — the server, the browser,
 * Arrow, zod, the logger — because each command loads its modules when it runs. Timings are
 * measured by `npm run bench`; this test checks the cause, which does not depend on the machine.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { CLI, REPO_ROOT, tempDir } from '../testing/fixtures.js';

const exec = promisify(execFile);
const TRACE = join(REPO_ROOT, 'src', 'testing', 'module-trace.mjs');
const HEAVY = [
  'fastify',
  'playwright-core',
  'apache-arrow',
  'zod',
  'pino',
  'undici',
  'graphology',
  'lru-cache',
  'node-html-parser',
];

/** The npm packages a run of `tpot <args>` loads, and what it printed. */
async function packagesLoaded(args: string[], cwd: string): Promise<{ packages: Set<string>; stdout: string }> {
  const { stdout, stderr } = await exec(process.execPath, ['--import', TRACE, CLI, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '' },
  });
  const packages = new Set<string>();
  for (const line of stderr.split('\n')) {
    const name = /^LOAD file:.*\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line)?.[1];
    if (name) packages.add(name);
  }
  return { packages, stdout };
}

describe('tpot start-up', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
    openDatabase(join(dir.path, 'data', 'cache.db')).close();
  });
  afterAll(() => dir.remove());

  it('--help and --version load commander and nothing heavy', async () => {
    const help = await packagesLoaded(['--help'], dir.path);
    expect(help.stdout).toContain('Commands:');
    expect([...help.packages]).toEqual(['commander']);
    const version = await packagesLoaded(['--version'], dir.path);
    const { version: expected } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(version.stdout.trim()).toBe(expected);
    expect([...version.packages]).toEqual(['commander']);
  });

  it('a command loads only what it uses: status needs SQLite, not the server or the browser', async () => {
    const status = await packagesLoaded(['status'], dir.path);
    expect(status.stdout).toContain('tpot status at');
    expect(status.packages.has('better-sqlite3')).toBe(true);
    expect(HEAVY.filter((name) => status.packages.has(name))).toEqual([]);
    // The help of one command loads that command's module only.
    const importHelp = await packagesLoaded(['import', '--help'], dir.path);
    expect(importHelp.stdout).toContain('--merge-strategy');
    expect([...importHelp.packages]).toEqual(['commander']);
  });
});
