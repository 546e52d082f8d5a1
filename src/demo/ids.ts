/**
 * Snowflake ids, dates and account identities for the demo generator.
 *
 * Ids follow docs/FORMATS.md, "Archives": decimal strings,
 * snowflakes whose timestamp matches `created_at`, `created_at` like "Wed Oct 10 20:19:24 +0000 2018"
 * (and the alternative format in "Dates"). Account ids are old short ids or snowflakes, each a pure
 * function of (population index, salt).
 */
import { hashUnit } from '../rng.js';

const SNOWFLAKE_EPOCH_MS = 1288834974657;
/** The low 22 snowflake bits (worker + sequence) serve as a collision-free per-archive counter. */
const LOW_BITS = 22;
export const LOW_MASK = (1 << LOW_BITS) - 1;
/** Item counts and the population are limited so that counters fit the low snowflake bits. */
export const MAX_ITEMS = 1 << LOW_BITS;

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
export const FIRST_TWEET_MS = Date.UTC(2011, 0, 1); // tweet ids before late 2010 were not snowflakes
export const NOTE_TWEETS_LAUNCH_MS = Date.UTC(2023, 1, 9);
export const COMMUNITIES_LAUNCH_MS = Date.UTC(2021, 8, 8);
export const TWEET_WRAPPER_CHANGE_MS = Date.UTC(2019, 11, 31); // exports after Jan 2020 wrap tweets
export const LATEST_EXPORT_MS = Date.UTC(2024, 11, 1, 9, 30);
/** Old short account ids (8–10 digits) map linearly onto 2007–2012 sign-ups. */
const SHORT_ID_BASE = 10_000_000;
const SHORT_ID_FROM_MS = Date.UTC(2007, 2, 1);
const SHORT_ID_TO_MS = Date.UTC(2012, 5, 1);
const SNOWFLAKE_ACCOUNT_FROM_MS = Date.UTC(2013, 0, 1);
export const ARCHIVE_ACCOUNT_TO_MS = Date.UTC(2018, 11, 31); // archive owners are older accounts
export const POPULATION_ACCOUNT_TO_MS = Date.UTC(2023, 5, 30);
const SHORT_ID_SHARE = 0.22;

const MONTHS: readonly string[] = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const WEEKDAYS: readonly string[] = 'Sun Mon Tue Wed Thu Fri Sat'.split(' ');

/** A snowflake id as a decimal string: (ms - epoch) << 22 | low. Exceeds 2^53, hence BigInt. */
export function snowflakeId(ms: number, low: number): string {
  return ((BigInt(ms - SNOWFLAKE_EPOCH_MS) << BigInt(LOW_BITS)) | BigInt(low & LOW_MASK)).toString();
}

/** Millisecond timestamp encoded in a snowflake id. */
export function snowflakeTimeMs(id: string): number {
  return Number(BigInt(id) >> BigInt(LOW_BITS)) + SNOWFLAKE_EPOCH_MS;
}

/** Bijection on [0, 2^22): distinct counters give distinct low snowflake bits. */
export function scramble22(i: number, salt: number): number {
  let x = (i ^ salt) & LOW_MASK;
  x = Math.imul(x, 0x9e3779b1) & LOW_MASK; // odd multipliers are invertible mod 2^22
  x ^= x >>> 11;
  x = Math.imul(x, 0x85ebca6b) & LOW_MASK;
  return x ^ (x >>> 9);
}

/** Bijection on 32-bit integers, for old short account ids. */
function scramble32(i: number, salt: number): number {
  let x = (i ^ salt) >>> 0;
  x = Math.imul(x, 0x9e3779b1) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b) >>> 0;
  return (x ^ (x >>> 13)) >>> 0;
}

/** "Wed Oct 10 20:19:24 +0000 2018", the tweets' `created_at` format. */
export function formatTwitterDate(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(
    d.getUTCMinutes(),
  )}:${pad2(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}

/** "2023-03-01 10:00:00 +0000", the alternative format of CA's mock fixtures (docs/FORMATS.md, "Dates"). */
export function formatAltDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} +0000`;
}

export const iso = (ms: number): string => new Date(ms).toISOString();
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

interface AccountIdentity {
  id: string;
  createdMs: number;
}

/**
 * Id and sign-up time of population member p: a pure function of (p, salt), unique over p in
 * [0, 2^22). Most ids are snowflakes above 2^53 (sign-ups from 2013); about a fifth are old
 * short ids whose value grows with the 2007–2012 sign-up date, as on the real site.
 */
export function accountIdentity(p: number, salt: number, latestSignupMs = POPULATION_ACCOUNT_TO_MS): AccountIdentity {
  if (hashUnit(salt, p, 1) < SHORT_ID_SHARE) {
    const n = scramble32(p, salt);
    return {
      id: String(SHORT_ID_BASE + n),
      createdMs: Math.floor(SHORT_ID_FROM_MS + (n / 2 ** 32) * (SHORT_ID_TO_MS - SHORT_ID_FROM_MS)),
    };
  }
  const createdMs = Math.floor(
    SNOWFLAKE_ACCOUNT_FROM_MS + hashUnit(salt, p, 2) * (latestSignupMs - SNOWFLAKE_ACCOUNT_FROM_MS),
  );
  return { id: snowflakeId(createdMs, scramble22(p, salt)), createdMs };
}

/** Sign-up time implied by an account id (snowflake timestamp, or the short-id mapping). */
export function signupFromId(id: string): number {
  const n = BigInt(id);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) return Math.min(snowflakeTimeMs(id), LATEST_EXPORT_MS - 365 * DAY_MS);
  const share = Math.min(1, Math.max(0, (Number(n) - SHORT_ID_BASE) / 2 ** 32));
  return Math.floor(SHORT_ID_FROM_MS + share * (SHORT_ID_TO_MS - SHORT_ID_FROM_MS));
}
