/**
 * Seeded pseudo-random numbers, for everything that must give the same result on every run: the
 * demo generator, betweenness source sampling and Louvain.
 *
 * mulberry32 keeps 32 bits of state and costs a handful of integer operations per draw, which is
 * what a generator producing hundreds of megabytes needs; its statistical quality is ample for
 * synthetic data. Everything here is a pure function of the seed, so a seed always yields the same
 * sequence on every run.
 */

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number;
  /** Uniform element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** Zipf-like rank in [0, n): rank r is drawn with probability roughly proportional to (r + 1)^-s. */
  zipf(n: number, s: number): number;
  /** Pareto (power-law) variate >= 1 with tail exponent alpha: P(X > x) = x^-alpha. */
  pareto(alpha: number): number;
  /** Standard normal variate. */
  normal(): number;
  /** Index drawn with probability proportional to weights[i]. */
  weighted(weights: readonly number[]): number;
  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[];
}

const TWO_POW_32 = 4294967296;

class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / TWO_POW_32;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  zipf(n: number, s: number): number {
    // Inverse CDF of the continuous power law on [1, n + 1): O(1) per draw, no tables, and close
    // enough to the discrete Zipf distribution for "a few hubs, a long tail".
    const u = this.next();
    const x = s === 1 ? Math.exp(u * Math.log(n + 1)) : (1 + u * ((n + 1) ** (1 - s) - 1)) ** (1 / (1 - s));
    return Math.min(n - 1, Math.max(0, Math.floor(x) - 1));
  }

  pareto(alpha: number): number {
    return (1 - this.next()) ** (-1 / alpha);
  }

  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log() stays finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i]!;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }
}

export function createRng(seed: number): Rng {
  return new Mulberry32(seed);
}

/**
 * Hashes integers into one well-mixed 32-bit value. Used to derive independent seeds (one stream
 * per account and purpose) and per-index values that must be computable without replaying a
 * stream, e.g. the timestamp of tweet i + 1 while writing tweet i.
 */
export function mix32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x01000193);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h = Math.imul(h, 0x297a2d39);
    h ^= h >>> 15;
  }
  return h >>> 0;
}

/** mix32 mapped to a float in [0, 1). */
export function hashUnit(...values: number[]): number {
  return mix32(...values) / TWO_POW_32;
}
