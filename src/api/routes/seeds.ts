/**
 * `GET /api/seeds`, `POST /api/seeds` (SPEC §7.1; map-tpot-behaviour.md §12.2): seed lists and
 * settings, persisted atomically in `config/graph_settings.json`. A POST does one of:
 *
 * - `{settings: {...}}` — merge these settings over the saved ones;
 * - `{name, seeds: [...], set_active?}` — save a list (handles validated, at most 500);
 * - `{name, set_active: true}` — make an existing list (user or preset) the active one;
 * - `{name, delete: true}` — delete a user list.
 *
 * and answers `{ok: true, state}` with the merged state `GET` returns.
 */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { graphSettingsSchema, LIST_NAME, MAX_LISTS, MAX_SEEDS, mergedSeedState, readSeedState, writeSeedState } from '../../seed-lists.js';
import type { ApiContext } from '../context.js';
import { HttpError, requireToken } from '../server.js';

const handle = z
  .string()
  .transform((h) => h.trim().replace(/^@/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_]{1,15}$/, 'must be a handle: 1–15 letters, digits or _'))
  .transform((h) => h.toLowerCase());
const listName = z.string().regex(LIST_NAME, 'must be 1–64 letters, digits, _ or -');

const body = z.union([
  z.strictObject({ settings: graphSettingsSchema.partial().strict() }),
  z.strictObject({ name: listName, seeds: z.array(handle).min(1, 'give at least one handle').max(MAX_SEEDS, `at most ${MAX_SEEDS} handles`), set_active: z.boolean().optional() }),
  z.strictObject({ name: listName, set_active: z.literal(true) }),
  z.strictObject({ name: listName, delete: z.literal(true) }),
]);

export const seedRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const merged = () => mergedSeedState(context.settingsPath, context.presetsPath);

  app.get('/api/seeds', async () => merged());

  app.post('/api/seeds', { schema: { body }, preHandler: requireToken(context) }, async (request) => {
    const change = request.body as z.infer<typeof body>;
    const saved = readSeedState(context.settingsPath);
    const next = { active_list: saved.active_list, lists: { ...saved.lists }, settings: saved.settings };
    if ('settings' in change) {
      next.settings = { ...saved.settings, ...change.settings };
    } else if ('seeds' in change) {
      if (!(change.name in next.lists) && Object.keys(next.lists).length >= MAX_LISTS) throw new HttpError(400, `At most ${MAX_LISTS} seed lists; delete one first.`, 'name');
      next.lists[change.name] = [...new Set(change.seeds)];
      if (change.set_active ?? true) next.active_list = change.name;
    } else if ('delete' in change) {
      if (!(change.name in next.lists)) throw new HttpError(404, `No user seed list "${change.name}" (presets cannot be deleted).`, 'name');
      delete next.lists[change.name];
      if (next.active_list === change.name) next.active_list = null;
    } else {
      if (!(change.name in merged().lists)) throw new HttpError(400, `Unknown seed list "${change.name}".`, 'name');
      next.active_list = change.name;
    }
    writeSeedState(context.settingsPath, next);
    return { ok: true, state: merged() };
  });
};
