/**
 * `GET /api/seeds`, `POST /api/seeds` (docs/API.md): seed lists and
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
import { MAX_SEEDS } from '../../graph/params.js';
import { graphSettingsSchema, LIST_NAME, MAX_LISTS, readSeedState, writeSeedState } from '../../seed-lists.js';
import { forgetSeedState, seedState, type ApiContext } from '../context.js';
import type { SeedChangePayload } from '../wire.js';
import { HttpError } from '../http-error.js';

const handle = z
  .string()
  .transform((h) => h.trim().replace(/^@/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_]{1,15}$/, 'must be a handle: 1–15 letters, digits or _'))
  .transform((h) => h.toLowerCase());
const listName = z.string().regex(LIST_NAME, 'must be 1–64 letters, digits, _ or -');

// One object with every key optional and the combinations checked after, so that an error names
// the field at fault (a union of shapes would only say "the body matches none of them").
const body = z
  .strictObject({
    settings: graphSettingsSchema.partial().strict().optional(),
    name: listName.optional(),
    seeds: z.array(handle).min(1, 'give at least one handle').max(MAX_SEEDS, `at most ${MAX_SEEDS} handles`).optional(),
    set_active: z.boolean().optional(),
    delete: z.literal(true).optional(),
  })
  .superRefine((change, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (change.settings !== undefined) {
      if (change.name !== undefined || change.seeds !== undefined || change.delete !== undefined)
        problem('settings', 'send settings on their own');
    } else if (change.name === undefined)
      problem('name', 'required: the list to save, activate or delete (or send settings)');
    else if (change.delete && (change.seeds !== undefined || change.set_active !== undefined))
      problem('delete', 'delete takes only the name');
    else if (change.seeds === undefined && change.set_active !== true && !change.delete)
      problem('seeds', 'give seeds to save the list, set_active: true to activate it, or delete: true');
  });
type SeedChange = z.infer<typeof body>;

export const seedRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const merged = () => seedState(context);

  app.get('/api/seeds', async () => merged());
};

/** `POST /api/seeds`: registered in the server's write scope (the token check). */
export const seedWriteRoutes: FastifyPluginAsync<ApiContext> = async (app, context) => {
  const merged = () => seedState(context);

  app.post('/api/seeds', { schema: { body } }, async (request) => {
    const change = request.body as SeedChange;
    const saved = readSeedState(context.settingsPath);
    const next = { active_list: saved.active_list, lists: { ...saved.lists }, settings: saved.settings };
    const name = change.name!;
    if (change.settings !== undefined) {
      next.settings = { ...saved.settings, ...change.settings };
    } else if (change.seeds !== undefined) {
      if (!(name in next.lists) && Object.keys(next.lists).length >= MAX_LISTS)
        throw new HttpError(400, `At most ${MAX_LISTS} seed lists; delete one first.`, 'name');
      next.lists[name] = [...new Set(change.seeds)];
      if (change.set_active ?? true) next.active_list = name;
    } else if (change.delete) {
      if (!(name in next.lists))
        throw new HttpError(404, `No user seed list "${name}" (presets cannot be deleted).`, 'name');
      delete next.lists[name];
      if (next.active_list === name) next.active_list = null;
    } else {
      if (!(name in merged().lists)) throw new HttpError(400, `Unknown seed list "${name}".`, 'name');
      next.active_list = name;
    }
    writeSeedState(context.settingsPath, next);
    forgetSeedState(context);
    return { ok: true, state: merged() } satisfies SeedChangePayload;
  });
};
