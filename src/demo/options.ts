/**
 * Demo options: the caller's `DemoOptions` checked and resolved once, with defaults, into the
 * `ResolvedOptions` the rest of the generator reads.
 */
import { MAX_ITEMS } from './ids.js';

/** The size of the community `tpot start` loads and `tpot demo` writes by default. */
export const DEFAULT_DEMO_ACCOUNTS = 120;
/** The same seed gives the same community. */
export const DEFAULT_DEMO_SEED = 42;

export interface DemoOptions {
  /** Number of archive accounts (each gets one archive.json); >= 1. */
  accounts: number;
  /** Total accounts in the network including archive ones; default max(accounts * 25, 500). */
  population?: number;
  /** Default clamp(round(accounts / 12), 3, 12), never more than accounts. */
  communities?: number;
  /** Default DEFAULT_DEMO_SEED. */
  seed?: number;
  /** Mean tweets per archive; default 40. */
  tweetsPerAccount?: number;
  /** Mean likes per archive; default 60. */
  likesPerAccount?: number;
  /** Mean following-list length of an archive account; default 150 (capped by population - 1). */
  meanFollowing?: number;
}

export interface ResolvedOptions {
  accounts: number;
  population: number;
  communities: number;
  seed: number;
  tweetsPerAccount: number;
  likesPerAccount: number;
  meanFollowing: number;
}

export function requireInt(name: string, value: number, min: number, max = MAX_ITEMS): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  return value;
}

function requireMean(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}

export function resolveDemoOptions(options: DemoOptions): ResolvedOptions {
  const accounts = requireInt('accounts', options.accounts, 1);
  const population = requireInt('population', options.population ?? Math.max(accounts * 25, 500), accounts);
  const defaultCommunities = Math.min(12, Math.max(3, Math.round(accounts / 12)));
  const communities = Math.min(accounts, requireInt('communities', options.communities ?? defaultCommunities, 1));
  return {
    accounts,
    population,
    communities,
    seed: requireInt('seed', options.seed ?? DEFAULT_DEMO_SEED, 0, 2 ** 32 - 1),
    tweetsPerAccount: requireMean('tweetsPerAccount', options.tweetsPerAccount ?? 40),
    likesPerAccount: requireMean('likesPerAccount', options.likesPerAccount ?? 60),
    meanFollowing: Math.min(population - 1, requireMean('meanFollowing', options.meanFollowing ?? 150)),
  };
}
