/**
 * Curation beyond one community (docs/API.md, "Curation"): saved versions of the whole curation state, what
 * changed between two of them, the history of every write, and an account's note and tags.
 *
 * - `GET /api/curation/versions`, `GET /api/curation/diff?from&to`, `GET /api/curation/history`,
 *   `GET /api/accounts/:id/curation`;
 * - writes, in the write scope: save a version, restore one (the state before is saved first, so a restore can
 *   be undone), set a note, add and remove tags.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { resolveSeedAccounts } from '../../communities/curation.js';
import { CommunityStore, type CurationDiff, type VersionSummary } from '../../db/community-store.js';
import { MAX_NOTE_LENGTH, TAG_PATTERN, VERSION_NAME_PATTERN } from '../../communities/curation-limits.js';
import type { Db } from '../../db/database.js';
import type { ApiContext } from '../context.js';
import { queryInteger } from '../validation.js';
import type { AccountCurationPayload, HistoryEntryPayload, RestorePayload, VersionPayload } from '../wire.js';
import { accountRef, communityRef } from './communities.js';

const versionName = z.string().regex(VERSION_NAME_PATTERN, 'must be 1–64 letters, digits, . _ or -');
const note = z.string().max(MAX_NOTE_LENGTH, `at most ${MAX_NOTE_LENGTH} characters`);
const tag = z
  .string()
  .transform((t) => t.trim().toLowerCase())
  .pipe(z.string().regex(TAG_PATTERN, 'must be 1–32 lower-case letters, digits, _ or -'));

const saveBody = z.strictObject({ name: versionName, note: note.optional() });
const versionParams = z.strictObject({ name: versionName });
const diffQuery = z.strictObject({ from: versionName, to: versionName.optional() });
const historyQuery = z.strictObject({
  limit: queryInteger(z.number().min(1).max(500)).optional(),
  community: communityRef.optional(),
  account: z
    .string()
    .regex(/^\d{1,20}$/, 'must be an account id')
    .optional(),
});
const accountParams = z.strictObject({ id: accountRef });
const noteBody = z.strictObject({ note: note.nullable() });
const tagsBody = z
  .strictObject({ add: z.array(tag).max(50).optional(), remove: z.array(tag).max(50).optional() })
  .refine((b) => (b.add?.length ?? 0) + (b.remove?.length ?? 0) > 0, {
    message: 'give tags to add or remove',
    path: ['add'],
  });

function versionPayload(v: VersionSummary): VersionPayload {
  return {
    name: v.name,
    created_at: v.createdAt,
    actor: v.actor,
    note: v.note,
    community_count: v.communityCount,
    seed_count: v.seedCount,
    current: v.current,
  };
}

/** The diff with its field names as the API spells them. */
function diffPayload(diff: CurationDiff) {
  const seed = ({ accountId, community }: { accountId: string; community: { id: number; short: string } }) => ({
    account_id: accountId,
    community,
  });
  return {
    from: diff.from,
    to: diff.to,
    communities: diff.communities,
    seeds: {
      added: diff.seeds.added.map(seed),
      removed: diff.seeds.removed.map(seed),
      moved: diff.seeds.moved.map(({ accountId, from, to }) => ({ account_id: accountId, from, to })),
    },
  };
}

function accountCuration(db: Db, accountId: string): AccountCurationPayload {
  const store = new CommunityStore(db);
  const current = store.note(accountId);
  return {
    account_id: accountId,
    note: current?.note ?? null,
    note_updated_at: current?.updatedAt ?? null,
    tags: store.tags(accountId),
  };
}

export const curationRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const db = () => context.database.require();

  app.get('/api/curation/versions', async () => ({
    versions: new CommunityStore(db()).listVersions().map(versionPayload),
  }));

  app.get('/api/curation/diff', { schema: { querystring: diffQuery } }, async (request) => {
    const { from, to } = request.query as z.infer<typeof diffQuery>;
    return diffPayload(new CommunityStore(db()).diff(from, to));
  });

  app.get('/api/curation/history', { schema: { querystring: historyQuery } }, async (request) => {
    const query = request.query as z.infer<typeof historyQuery>;
    const store = new CommunityStore(db());
    const entries = store.history({
      limit: query.limit ?? 50,
      ...(query.community ? { communityId: store.get(query.community).id } : {}),
      ...(query.account ? { accountId: query.account } : {}),
    });
    return {
      entries: entries.map((e): HistoryEntryPayload => ({
        id: e.id,
        at: e.at,
        actor: e.actor,
        action: e.action,
        community_id: e.communityId,
        account_id: e.accountId,
        detail: e.detail,
      })),
    };
  });

  app.get('/api/accounts/:id/curation', { schema: { params: accountParams } }, async (request) => {
    const { id } = request.params as z.infer<typeof accountParams>;
    const connection = db();
    return accountCuration(connection, resolveSeedAccounts(connection, [id])[0]!);
  });
};

/** Versions, notes and tags: registered in the server's write scope (the token check). */
export const curationWriteRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const store = (db: Db) => new CommunityStore(db, 'api');

  app.post('/api/curation/versions', { schema: { body: saveBody } }, async (request, reply) => {
    const { name, note: text } = request.body as z.infer<typeof saveBody>;
    const saved = context.graphs.write((db) => store(db).saveVersion(name, text));
    return reply.code(201).send(versionPayload(saved));
  });

  app.post('/api/curation/versions/:name/restore', { schema: { params: versionParams } }, async (request) => {
    const { name } = request.params as z.infer<typeof versionParams>;
    const result = context.graphs.write((db) => store(db).restore(name));
    return {
      restored: result.restored,
      saved_as: result.savedAs,
      newly_saved: result.newlySaved,
    } satisfies RestorePayload;
  });

  app.put('/api/accounts/:id/note', { schema: { params: accountParams, body: noteBody } }, async (request) => {
    const { id } = request.params as z.infer<typeof accountParams>;
    const { note: text } = request.body as z.infer<typeof noteBody>;
    return context.graphs.write((db) => {
      const accountId = resolveSeedAccounts(db, [id])[0]!;
      store(db).setNote(accountId, text);
      return accountCuration(db, accountId);
    });
  });

  app.post('/api/accounts/:id/tags', { schema: { params: accountParams, body: tagsBody } }, async (request) => {
    const { id } = request.params as z.infer<typeof accountParams>;
    const { add = [], remove = [] } = request.body as z.infer<typeof tagsBody>;
    return context.graphs.write((db) => {
      const accountId = resolveSeedAccounts(db, [id])[0]!;
      if (add.length) store(db).addTags(accountId, add);
      if (remove.length) store(db).removeTags(accountId, remove);
      return accountCuration(db, accountId);
    });
  });
};
