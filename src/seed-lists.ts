/**
 * Seed lists (SPEC §6.3, §7.1): named lists of handles in `config/graph_settings.json`, shaped as
 * the original's `{active_list, lists: {name: [handles]}, settings, updated_at}`. Read here; the
 * API server (`/api/seeds`) will write it. Handles are checked like every username.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isValidUsername } from './usernames.js';

export const GRAPH_SETTINGS_FILE = 'config/graph_settings.json';

export interface SeedLists {
  activeList: string | null;
  lists: Record<string, string[]>;
}

export class SeedListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedListError';
  }
}

export function readSeedLists(path: string): SeedLists {
  if (!existsSync(path)) return { activeList: null, lists: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedListError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const { active_list: active, lists } = (parsed ?? {}) as { active_list?: unknown; lists?: unknown };
  if (lists !== undefined && (typeof lists !== 'object' || lists === null || Array.isArray(lists))) throw new SeedListError(`${path}: "lists" must be an object of name → [handles]`);
  const clean: Record<string, string[]> = {};
  for (const [name, handles] of Object.entries((lists ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(handles)) throw new SeedListError(`${path}: list "${name}" must be an array of handles`);
    const valid = handles.filter((h): h is string => typeof h === 'string').map((h) => h.trim().replace(/^@/, '')).filter(isValidUsername);
    if (valid.length > 0) clean[name] = [...new Set(valid.map((h) => h.toLowerCase()))];
  }
  return { activeList: typeof active === 'string' && active in clean ? active : null, lists: clean };
}

/** The handles of `name`, or of the active list when no name is given; a missing list is an error that names the ones there are. */
export function seedList(lists: SeedLists, name: string | undefined, path: string): string[] {
  const chosen = name ?? lists.activeList;
  if (chosen === null) return [];
  const handles = lists.lists[chosen];
  if (!handles) {
    const names = Object.keys(lists.lists);
    throw new SeedListError(`No seed list "${chosen}" in ${path}${names.length ? `: there are ${names.join(', ')}` : ' (it has no lists)'}.`);
  }
  return handles;
}
