/** The enrichment policy: read from its file, and the skip and refresh rules with their reasons. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../testing/vitest-helpers.js';
import { toSqliteUtc } from '../time.js';
import { listDecision, POLICY_DEFAULTS, readPolicy, seedDecision, type ListHistory } from './policy.js';

const NOW = Date.parse('2026-11-23T00:00:00Z');
const daysAgo = (days: number) => toSqliteUtc(new Date(NOW - days * 86_400_000));
const on = { skipIfEverScraped: true, now: NOW };

describe('enrichment policy', () => {
  const dir = useTempDir();

  it('is read from config/enrichment_policy.json over the defaults; a bad value is named', () => {
    const path = join(dir.path, 'enrichment_policy.json');
    expect(readPolicy(path)).toEqual(POLICY_DEFAULTS);
    writeFileSync(path, JSON.stringify({ list_refresh_days: 30 }));
    expect(readPolicy(path)).toEqual({ ...POLICY_DEFAULTS, list_refresh_days: 30 });
    writeFileSync(path, JSON.stringify({ low_coverage_percent: 150 }));
    expect(() => readPolicy(path)).toThrow(/low_coverage_percent/);
    writeFileSync(path, JSON.stringify({ refresh: 1 }));
    expect(() => readPolicy(path)).toThrow(/refresh: unknown setting/);
    writeFileSync(path, '{');
    expect(() => readPolicy(path)).toThrow(/not valid JSON/);
  });

  it('does not re-visit a deleted or suspended account every run', () => {
    expect(
      seedDecision({ status: 'deleted', checkedAt: daysAgo(3), lastCompleteRunAt: null }, [], POLICY_DEFAULTS, on),
    ).toMatchObject({ action: 'skip', reason: expect.stringMatching(/^deleted when checked/) as unknown });
    expect(
      seedDecision({ status: 'suspended', checkedAt: daysAgo(45), lastCompleteRunAt: null }, [], POLICY_DEFAULTS, on)
        .action,
    ).toBe('scrape');
    expect(seedDecision({ status: null, checkedAt: null, lastCompleteRunAt: null }, [], POLICY_DEFAULTS, on)).toEqual({
      action: 'scrape',
      reason: 'never scraped',
    });
  });

  it('with --skip-if-ever-scraped, skips a complete seed whole and visits a low-coverage one', () => {
    const ran = { status: 'active' as const, checkedAt: daysAgo(12), lastCompleteRunAt: daysAgo(12) };
    const complete: ListHistory = {
      lastRunAt: daysAgo(12),
      captured: 490,
      claimed: 500,
      coverage: 98,
      storedEdges: 490,
      claimedNow: null,
    };
    expect(seedDecision(ran, [complete, complete], POLICY_DEFAULTS, on).action).toBe('skip');
    expect(
      seedDecision(ran, [complete, { ...complete, captured: 3, coverage: 0.6, storedEdges: 3 }], POLICY_DEFAULTS, on),
    ).toMatchObject({ action: 'scrape', reason: expect.stringMatching(/low coverage/) as unknown });
    expect(seedDecision(ran, [complete], POLICY_DEFAULTS, { skipIfEverScraped: false, now: NOW }).action).toBe(
      'scrape',
    );
  });

  it('skips a complete, fresh list and re-reads a low-coverage, stale, inconsistent or moved one', () => {
    const complete: ListHistory = {
      lastRunAt: daysAgo(12),
      captured: 490,
      claimed: 500,
      coverage: 98,
      storedEdges: 490,
      claimedNow: 510,
    };
    expect(listDecision(complete, POLICY_DEFAULTS, on)).toEqual({
      action: 'skip',
      reason: 'complete and fresh: 98 % coverage, 490 captured, 12 days old',
    });
    expect(listDecision({ ...complete, lastRunAt: daysAgo(200) }, POLICY_DEFAULTS, on).reason).toMatch(
      /read 200 days ago/,
    );
    expect(listDecision({ ...complete, captured: 5, coverage: 1 }, POLICY_DEFAULTS, on).reason).toMatch(/low coverage/);
    // Low coverage of a big list (more than 20 captured) is not re-read for that alone.
    expect(listDecision({ ...complete, captured: 40, coverage: 8, storedEdges: 40 }, POLICY_DEFAULTS, on).action).toBe(
      'skip',
    );
    expect(listDecision({ ...complete, storedEdges: 100 }, POLICY_DEFAULTS, on).reason).toMatch(
      /100 edges stored, the last run captured 490/,
    );
    expect(listDecision({ ...complete, claimedNow: 900 }, POLICY_DEFAULTS, on).reason).toMatch(
      /claimed count moved from 500 to 900/,
    );
    expect(listDecision(complete, POLICY_DEFAULTS, { skipIfEverScraped: false, now: NOW }).action).toBe('scrape');
    expect(listDecision({ ...complete, lastRunAt: null }, POLICY_DEFAULTS, on).reason).toBe('never read');
  });
});
