/**
 * Curation over the API at the reference graph's scale (docs/BENCHMARKS.md, "API server"): the writes a curator makes
 * from the explorer — describe a community, add and remove a seed, save a note — each timed from the client (target
 * < 50 ms), and the first page of the largest community's members, as its page opens (the browser's part is timed
 * by explorer-bench.ts).
 */
import type { Pool } from 'undici';
import type { CommunitiesPayload } from '../api/wire.js';
import { call, ms, percentile, repeat, type Measure, type Reply } from './http-calls.js';

const WRITES = 40;
const PAGES = 20;

function expectStatus(status: number, what: string) {
  return (reply: Reply, body: Buffer) => {
    if (reply.status !== status) throw new Error(`${what} answered ${reply.status}: ${body.toString().slice(0, 200)}`);
  };
}

const summary = (replies: Reply[]) => {
  const times = replies.map((r) => r.ms);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95) };
};

/** The largest community of the latest run, by its members in every band. */
export async function largestCommunity(pool: Pool): Promise<{ short: string; members: number }> {
  let list: CommunitiesPayload | null = null;
  await call(pool, '/api/communities', {
    check: (reply, body) => {
      expectStatus(200, 'GET /api/communities')(reply, body);
      list = JSON.parse(body.toString()) as CommunitiesPayload;
    },
  });
  const sized = list!.communities.map((c) => ({
    short: c.short,
    members: c.members ? c.members.exemplar + c.members.specialist + c.members.bridge + c.members.frontier : 0,
  }));
  return sized.reduce((a, b) => (b.members > a.members ? b : a));
}

/** `account` is an account of the graph that is no seed: it is added as a seed of `short` and removed again. */
export async function measureCuration(pool: Pool, short: string, account: string): Promise<Measure[]> {
  const community = `/api/communities/${short}`;
  const describe = await repeat(WRITES, (i) =>
    call(pool, community, {
      method: 'PATCH',
      body: { description: `benchmark write ${i}` },
      check: expectStatus(200, 'PATCH'),
    }),
  );
  const seedWrites = await repeat(WRITES, (i) =>
    i % 2 === 0
      ? call(pool, `${community}/seeds`, { body: { accounts: [account] }, check: expectStatus(200, 'POST seeds') })
      : call(pool, `${community}/seeds/${account}`, { method: 'DELETE', check: expectStatus(200, 'DELETE seed') }),
  );
  const notes = await repeat(WRITES, (i) =>
    call(pool, `/api/accounts/${account}/note`, {
      method: 'PUT',
      body: { note: `benchmark note ${i}` },
      check: expectStatus(200, 'PUT note'),
    }),
  );
  const all = summary([...describe, ...seedWrites, ...notes]);
  const pages = {
    confidence: await repeat(PAGES, () =>
      call(pool, `${community}/members?limit=100`, { check: expectStatus(200, 'GET members') }),
    ),
    followers: await repeat(PAGES, () =>
      call(pool, `${community}/members?limit=100&sort=followers`, { check: expectStatus(200, 'GET members') }),
    ),
  };
  const row = (replies: Reply[]) => `${ms(summary(replies).p50)} / ${ms(summary(replies).p95)}`;
  const writes = describe.length + seedWrites.length + notes.length;
  return [
    {
      what: `curation writes (describe, add/remove a seed, note; ${writes}), p50 / p95`,
      value: `${ms(all.p50)} / ${ms(all.p95)}`,
      target: { text: 'each < 50 ms (p95)', met: all.p95 < 50 },
    },
    { what: '… of which describe a community (PATCH)', value: row(describe) },
    { what: '… of which add or remove a seed', value: row(seedWrites) },
    { what: '… of which save a note (PUT)', value: row(notes) },
    {
      what: `first page (100) of the largest community's members by confidence, p50 / p95`,
      value: row(pages.confidence),
    },
    { what: '… by followers', value: row(pages.followers) },
  ];
}
