/**
 * `tpot communities` as a curator runs it (docs/OPERATIONS.md, "Curating communities"), on the demo
 * community loaded the way `tpot start` loads it: the named map out of the box, curation with its
 * history and versions, the curation file round trip, propagation, evaluation, and every bad input
 * leaving the store as it was.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { runCli } from '../testing/run-cli.js';
import { useTempDir } from '../testing/vitest-helpers.js';
import type { DemoManifest } from '../demo/generator.js';
import type { AccountPlacement, CommunityListing as ListingJson, MemberListing } from '../communities/reports.js';
import type { EvaluationReport } from '../communities/evaluate.js';
import type { PropagateSummary } from '../communities/propagate-command.js';

interface OutputFile {
  parameters: { propagation: { engine: string } };
  accounts: Record<string, { username: string | null; community: string | null; band: string; confidence: number }>;
}

describe('tpot communities', () => {
  let template: ReturnType<typeof tempDir>;
  beforeAll(async () => {
    template = tempDir();
    const load = await runCli(['demo', '--load', '--out', join(template.path, 'demo')], {
      cwd: template.path,
      env: { TPOT_DATA_DIR: join(template.path, 'data'), TPOT_LOG_DIR: join(template.path, 'logs') },
    });
    expect(load.code, load.stderr).toBe(0);
  }, 120_000);
  afterAll(() => template?.remove());

  const dir = useTempDir();
  const populate = () => {
    cpSync(join(template.path, 'data'), join(dir.path, 'data'), { recursive: true });
    cpSync(join(template.path, 'demo'), join(dir.path, 'demo'), { recursive: true });
  };
  const tpot = (...args: string[]) =>
    runCli(args, {
      cwd: dir.path,
      env: { TPOT_DATA_DIR: join(dir.path, 'data'), TPOT_LOG_DIR: join(dir.path, 'logs') },
    });
  const json = async <T>(...args: string[]): Promise<T> => {
    const run = await tpot(...args, '--json');
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as T;
  };
  const exported = async () => {
    const path = join(dir.path, `state-${Math.random().toString(36).slice(2)}.json`);
    expect((await tpot('communities', 'export', path)).code).toBe(0);
    return readFileSync(path, 'utf8');
  };

  it('names the demo out of the box, and places most of its archive accounts in their true community', async () => {
    populate();
    const listing = await json<ListingJson>('communities', 'list');
    expect(listing.run).not.toBeNull();
    expect(listing.communities.map((c) => c.short)).toContain('core');
    for (const community of listing.communities) {
      expect(community.seeds).toBeGreaterThan(0);
      expect(community.members!.exemplar).toBe(community.seeds);
    }

    const output = join(dir.path, 'placement.json');
    const summary = await json<PropagateSummary>('communities', 'propagate', '--output', output);
    expect(summary.runId).toBeGreaterThan(listing.run!.runId);
    const file = JSON.parse(readFileSync(output, 'utf8')) as OutputFile;
    expect(file.parameters.propagation.engine).toBe('harmonic');

    // The generator knows each archive account's community; the seeds are only a few of them.
    const manifest = JSON.parse(readFileSync(join(dir.path, 'demo', 'demo-manifest.json'), 'utf8')) as DemoManifest;
    const curation = JSON.parse(readFileSync(join(dir.path, 'demo', 'demo-communities.json'), 'utf8')) as {
      communities: { short: string; seeds: string[] }[];
    };
    // The file is sorted by short name: which generator community each one names is told by its seeds.
    const byHandle = new Map(manifest.accounts.map((a) => [a.username.toLowerCase(), a]));
    const shortOf: string[] = [];
    for (const c of curation.communities) shortOf[byHandle.get(c.seeds[0]!)!.community] = c.short;
    const seeds = new Set(curation.communities.flatMap((c) => c.seeds));
    const others = manifest.accounts.filter((a) => !seeds.has(a.username.toLowerCase()));
    const right = others.filter((a) => file.accounts[a.accountId]?.community === shortOf[a.community]).length;
    expect(right / others.length).toBeGreaterThan(0.8);
  });

  it('shows an account and lists members by band', async () => {
    populate();
    const curation = JSON.parse(readFileSync(join(dir.path, 'demo', 'demo-communities.json'), 'utf8')) as {
      communities: { short: string; seeds: string[] }[];
    };
    const seed = curation.communities[0]!.seeds[0]!;
    const shown = await json<AccountPlacement>('communities', 'show', `@${seed}`);
    expect(shown).toMatchObject({ seedOf: curation.communities[0]!.short, band: 'exemplar', username: seed });
    const text = await tpot('communities', 'show', seed);
    expect(text.stdout).toMatch(new RegExp(`exemplar of ${curation.communities[0]!.short}, confidence 1\\.000`));

    const members = await json<MemberListing>('communities', 'members', 'core', '--band', 'exemplar', '--limit', '3');
    expect(members.members.length).toBeGreaterThan(0);
    expect(members.members.every((m) => m.band === 'exemplar')).toBe(true);
    expect((await tpot('communities', 'members', 'core', '--band', 'famous')).code).not.toBe(0);
    expect((await tpot('communities', 'members', 'nosuch')).stderr).toMatch(/Unknown community "nosuch".*core/s);
  });

  it('round-trips the curation file, and rejects a wrong field without changing anything', async () => {
    populate();
    const first = await exported();
    const path = join(dir.path, 'again.json');
    writeFileSync(path, first);
    expect((await tpot('communities', 'import', path)).code).toBe(0);
    expect(await exported()).toBe(first);

    const wrong = JSON.parse(first) as { communities: Record<string, unknown>[] };
    wrong.communities[1]!.colour = '#000000';
    writeFileSync(path, JSON.stringify(wrong));
    const refused = await tpot('communities', 'import', path);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/communities\[1\]\.colour/);
    expect(await exported()).toBe(first);

    const unknown = JSON.parse(first) as { communities: { seeds: string[] }[] };
    unknown.communities[0]!.seeds.push('nobody_here_at_all');
    writeFileSync(path, JSON.stringify(unknown));
    const partial = await tpot('communities', 'import', path);
    expect(partial.code, partial.stderr).toBe(0);
    expect(partial.stdout).toMatch(/not imported: nobody_here_at_all/);
    expect(await exported()).toBe(first);
  });

  it('refuses unknown accounts and a seed of another community, naming them', async () => {
    populate();
    const before = await exported();
    const unknown = await tpot('communities', 'seed', 'add', 'core', 'nobody_here_at_all');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/nobody_here_at_all/);
    const invalid = await tpot('communities', 'seed', 'add', 'core', '../etc');
    expect(invalid.code).toBe(2);
    const curation = JSON.parse(before) as { communities: { short: string; seeds: string[] }[] };
    const [a, b] = curation.communities;
    const taken = await tpot('communities', 'seed', 'add', a!.short, b!.seeds[0]!);
    expect(taken.code).not.toBe(0);
    expect(taken.stderr).toMatch(new RegExp(`${b!.short}`));
    expect(await exported()).toBe(before);
  });

  it('keeps versions: save, rename, diff, restore (saving the state before)', async () => {
    populate();
    expect((await tpot('communities', 'version', 'save', 'v1')).code).toBe(0);
    expect((await tpot('communities', 'rename', 'core', '--name', 'The Core')).code).toBe(0);
    const diff = await tpot('communities', 'version', 'diff', 'v1');
    expect(diff.stdout).toMatch(/core: name "Core TPOT" → "The Core"/);
    const restored = await tpot('communities', 'version', 'restore', 'v1');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/auto-before-restore-/);
    const listing = await json<ListingJson>('communities', 'list');
    expect(listing.communities.find((c) => c.short === 'core')!.name).toBe('Core TPOT');
    const versions = await json<{ name: string }[]>('communities', 'version', 'list');
    expect(versions.map((v) => v.name)).toEqual(
      expect.arrayContaining(['v1', expect.stringMatching(/^auto-before-restore-/)]),
    );
    const history = await json<{ action: string }[]>('communities', 'history');
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(['community.rename', 'version.restore']));
  });

  it('evaluates against the baselines, and refuses to propagate a community without seeds', async () => {
    populate();
    const report = await json<EvaluationReport>('communities', 'evaluate', '--folds', '3');
    expect(report.verdict).toBe('informative');
    expect(report.accuracy).toBeGreaterThan(report.baselines.majority.accuracy);

    const ppr = await json<PropagateSummary>('communities', 'propagate', '--engine', 'ppr-lift', '--bootstrap', '0');
    expect(ppr).toMatchObject({ engine: 'ppr-lift', bootstrapSamples: 0 });

    expect((await tpot('communities', 'add', 'empty', 'Nobody Yet')).code).toBe(0);
    const before = await json<ListingJson>('communities', 'list');
    const refused = await tpot('communities', 'propagate');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/No seed of empty \(Nobody Yet\) is in the graph/);
    expect((await json<ListingJson>('communities', 'list')).run!.runId).toBe(before.run!.runId);
  });
});
