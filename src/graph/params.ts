/**
 * The graph-view parameters, defined once: which graph is built (the filters), how it is analysed
 * (the Louvain resolution), how accounts are ranked (PageRank damping, composite weights), how many
 * accounts the explorer's Focus view shows, and which seeds may be named.
 *
 * Every other shape is derived from this module — the zod schemas of param-schemas.ts (the API,
 * the settings file, the CLI's checks), the wire form of the API, the settings file and the
 * snapshot manifest (snake_case, through `toWire`), the CLI flags' defaults and the explorer's
 * URL parsing and inputs — so a default or a range changed here changes everywhere.
 * docs/DATA-MODEL.md ("Graph settings") lists them for readers.
 *
 * Plain data and types only: no zod (importing it costs ~80 ms, a third of the CLI's start-up
 * budget) and nothing from the rest of the engine, so the CLI's help and the explorer's bundle
 * take it as it is.
 */

export type Weights = readonly [pagerank: number, betweenness: number, engagement: number];

/** The parameters as the engine takes them (camelCase). */
export interface GraphParams {
  /** Include accounts and follows read from X (the shadow graph). */
  includeShadow: boolean;
  /** Keep only pairs of accounts that follow each other. */
  mutualOnly: boolean;
  /**
   * Build the interaction layer (mentions, replies, quotes, retweets, likes between the graph's
   * accounts) beside the follows: engagement becomes interaction strength, and exports carry it.
   */
  includeInteractions: boolean;
  /** Drop accounts followed by fewer accounts of the graph (in-degree). */
  minFollowers: number;
  /** Louvain resolution. */
  resolution: number;
  /** PageRank damping. */
  alpha: number;
  /** Composite weights: PageRank, betweenness, engagement. */
  weights: [pagerank: number, betweenness: number, engagement: number];
  /** Accounts besides the seeds in the explorer's Focus view. */
  topN: number;
}

/** Each parameter's default. */
export const GRAPH_DEFAULTS: Readonly<GraphParams> = Object.freeze({
  includeShadow: true,
  mutualOnly: false,
  includeInteractions: false,
  minFollowers: 0,
  resolution: 1,
  alpha: 0.85,
  weights: Object.freeze([0.4, 0.3, 0.3]) as [number, number, number],
  topN: 200,
});

/** The ranges a value must fall in. Weights must also not all be 0. */
export const GRAPH_RANGES = Object.freeze({
  /** A whole number. */
  minFollowers: { min: 0, max: 1_000_000 },
  /** Both ends excluded. */
  alpha: { above: 0, below: 1 },
  /** The lower end excluded. */
  resolution: { above: 0, max: 100 },
  /** Each of the three weights. */
  weight: { min: 0, max: 1 },
  /** A whole number. */
  topN: { min: 10, max: 2000 },
});

/** Which graph is built: `buildGraph`'s options. */
export type GraphFilters = Pick<GraphParams, 'includeShadow' | 'mutualOnly' | 'includeInteractions' | 'minFollowers'>;
/** What the seed-independent metrics depend on: one analysed graph (and one snapshot) per value. */
export type AnalysisParams = GraphFilters & Pick<GraphParams, 'resolution'>;
/** What ranking around seeds depends on besides the seeds. */
export type RankParams = Pick<GraphParams, 'alpha' | 'weights'>;

const ANALYSIS_KEYS = [
  'includeShadow',
  'mutualOnly',
  'includeInteractions',
  'minFollowers',
  'resolution',
] as const satisfies (keyof AnalysisParams)[];

/** Whether two parameter sets give the same analysed graph. */
export function sameAnalysis(a: AnalysisParams, b: AnalysisParams): boolean {
  return ANALYSIS_KEYS.every((key) => a[key] === b[key]);
}

// ── The wire form: snake_case keys, as the API, the settings file and the manifest write them ──

type SnakeCase<S extends string> = S extends `${infer Head}${infer Rest}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Rest>}`
  : S;

/** `T` with its keys in snake case (`includeShadow` → `include_shadow`). */
export type Wire<T> = { [K in keyof T & string as SnakeCase<K>]: T[K] };

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const camelCase = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function toWire<T extends object>(params: T): Wire<T> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [snakeCase(key), value])) as Wire<T>;
}

export function fromWire<T extends object>(wire: Wire<T>): T {
  return Object.fromEntries(Object.entries(wire).map(([key, value]) => [camelCase(key), value])) as T;
}

export type WireGraphFilters = Wire<GraphFilters>;
export type WireGraphParams = Wire<GraphParams>;
export const WIRE_DEFAULTS: Readonly<WireGraphParams> = Object.freeze(toWire(GRAPH_DEFAULTS));

// ── Seeds ──

/** At most this many seeds in a request or a saved list. */
export const MAX_SEEDS = 500;

/** A seed as it may be named: a handle (with or without '@'), an account id, or `shadow:<handle>`. */
export const SEED_REFERENCE = /^(@?[A-Za-z0-9_]{1,15}|\d{1,20}|shadow:[A-Za-z0-9_]{1,15})$/;
