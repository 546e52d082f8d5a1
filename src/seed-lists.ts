/**
 * Seed lists and graph settings (docs/DATA-MODEL.md, "Configuration files"): named lists of handles and the explorer's
 * settings in `config/graph_settings.json`, shaped as the original's `{active_list, lists: {name:
 * [handles]}, settings, updated_at}`. Optional presets, shipped or
 * hand-written, live in `config/seed_presets.json` and are never written. The CLI reads the
 * lists; the API server (`/api/seeds`) also writes them, atomically (temporary file, rename).
 *
 * Reading is lenient — a hand-edited file with one bad value keeps the rest and falls back to the
 * default for that value — and writing is strict: the API rejects what it would not read back.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { savedSettingsSchema, wireParamFields } from './graph/param-schemas.js';
import { MAX_SEEDS, type WireGraphParams } from './graph/params.js';
import type { SeedStatePayload } from './api/wire.js';
import { nowUtc } from './time.js';
import { writeFileAtomically } from './atomic-file.js';
import { isValidUsername } from './usernames.js';
import { errorMessage, TpotError } from './errors.js';

export const MAX_LISTS = 100;
export const LIST_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The settings file's `settings`: every graph parameter, in its wire form (graph/params.ts). */
export const graphSettingsSchema = z.object(wireParamFields);
export type GraphSettings = WireGraphParams;

export interface SeedState {
  active_list: string | null;
  lists: Record<string, string[]>;
  settings: GraphSettings;
  updated_at: string | null;
}

/** What `GET /api/seeds` answers: presets overlaid by the user's lists. */
export type MergedSeedState = SeedStatePayload;

export class SeedListError extends TpotError {
  constructor(message: string) {
    super('usage', message);
  }
}

/** Trim, drop a leading '@', lower-case; null when it is not a valid handle. */
export function normaliseHandle(text: string): string | null {
  const handle = text.trim().replace(/^@/, '');
  return isValidUsername(handle) ? handle.toLowerCase() : null;
}

function readJson(path: string): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SeedListError(`${path} is not valid JSON: ${errorMessage(error)}`);
  }
}

function readLists(path: string, lists: unknown): Record<string, string[]> {
  if (lists === undefined) return {};
  if (typeof lists !== 'object' || lists === null || Array.isArray(lists))
    throw new SeedListError(`${path}: "lists" must be an object of name → [handles]`);
  const clean: Record<string, string[]> = {};
  for (const [name, handles] of Object.entries(lists as Record<string, unknown>)) {
    if (!Array.isArray(handles)) throw new SeedListError(`${path}: list "${name}" must be an array of handles`);
    const valid = handles
      .filter((h): h is string => typeof h === 'string')
      .map(normaliseHandle)
      .filter((h): h is string => h !== null);
    if (valid.length > 0) clean[name] = [...new Set(valid)].slice(0, MAX_SEEDS);
  }
  return clean;
}

/** Each setting from the file when it is valid, its default otherwise; unknown keys are dropped. */
function readSettings(settings: unknown): GraphSettings {
  return savedSettingsSchema.parse(typeof settings === 'object' && settings !== null ? settings : {});
}

export function readSeedState(path: string): SeedState {
  const parsed = (readJson(path) ?? {}) as {
    active_list?: unknown;
    lists?: unknown;
    settings?: unknown;
    updated_at?: unknown;
  };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new SeedListError(`${path} must hold a JSON object`);
  const lists = readLists(path, parsed.lists);
  return {
    active_list: typeof parsed.active_list === 'string' ? parsed.active_list : null,
    lists,
    settings: readSettings(parsed.settings),
    updated_at: typeof parsed.updated_at === 'string' ? parsed.updated_at : null,
  };
}

export function readPresets(path: string): Record<string, string[]> {
  return readLists(path, readJson(path));
}

/**
 * The state the explorer sees: presets with the user's lists over them; the active list is the
 * user's choice when it still exists, else the first list there is.
 */
export function mergedSeedState(settingsPath: string, presetsPath: string): MergedSeedState {
  const user = readSeedState(settingsPath);
  const presets = readPresets(presetsPath);
  const lists = { ...presets, ...user.lists };
  const names = Object.keys(lists);
  const active = user.active_list !== null && user.active_list in lists ? user.active_list : (names[0] ?? null);
  return {
    ...user,
    active_list: active,
    lists,
    preset_names: Object.keys(presets),
    user_list_names: Object.keys(user.lists),
  };
}

/** Keys sorted at every level, so the file diffs cleanly. */
function sortedJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    2,
  );
}

/** Writes the user's state to a temporary file and renames it into place: a crash never leaves half a file. */
export function writeSeedState(path: string, state: Omit<SeedState, 'updated_at'>): SeedState {
  const written: SeedState = { ...state, updated_at: nowUtc() };
  writeFileAtomically(path, `${sortedJson(written)}\n`);
  return written;
}

/** The lists part of the state, as the CLI uses it. */
export interface SeedLists {
  activeList: string | null;
  lists: Record<string, string[]>;
}

export function readSeedLists(path: string): SeedLists {
  const state = readSeedState(path);
  return {
    activeList: state.active_list !== null && state.active_list in state.lists ? state.active_list : null,
    lists: state.lists,
  };
}

/**
 * The handles of `name`, or of the active list when no name is given; a missing list is an error that names the ones
 * there are.
 */
export function seedList(lists: SeedLists, name: string | undefined, path: string): string[] {
  const chosen = name ?? lists.activeList;
  if (chosen === null) return [];
  const handles = lists.lists[chosen];
  if (!handles) {
    const names = Object.keys(lists.lists);
    throw new SeedListError(
      `No seed list "${chosen}" in ${path}${names.length ? `: there are ${names.join(', ')}` : ' (it has no lists)'}.`,
    );
  }
  return handles;
}

/** The handles of the active list in the settings file; none when there is no active list. */
export function activeSeeds(path: string): string[] {
  return seedList(readSeedLists(path), undefined, path);
}
