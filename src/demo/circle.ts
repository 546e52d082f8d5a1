/**
 * Whom a demo member's tweets talk to. People mention the accounts they follow, their own circle —
 * the accounts few others follow — more than the hubs everyone follows, and over enough tweets they
 * get round to most of them. So besides the text's random mentions, a member's replies and tweets
 * name the accounts it follows in turn, the least followed first: the importer then learns the
 * handle of most accounts that the archives know only by id (docs/ARCHITECTURE.md, "Interaction
 * signals", Names).
 */
import { createRng, type Rng } from '../rng.js';
import type { Network } from './network.js';
import type { Identity } from './text.js';

/**
 * How many accounts of its circle a tweet names, by weight of 0, 1, 2…: the others in a reply's
 * conversation (before its text), and those tagged in a tweet's text.
 */
export const CONVERSATION_WEIGHTS: readonly number[] = [2, 3, 3, 2];
export const TAG_WEIGHTS: readonly number[] = [4, 4, 2];

/**
 * Each archive member's following in the order its tweets talk to them: the accounts followed by the
 * fewest members first (a stable sort, so ties keep the following list's shuffled order).
 */
export function talkOrder(net: Network): number[][] {
  const followedBy = new Int32Array(net.people.length);
  for (const list of net.following) for (const p of list) followedBy[p]!++;
  return net.following.map((list) => [...list].sort((a, b) => followedBy[a]! - followedBy[b]!));
}

/**
 * One pass over a member's tweets: the accounts of its circle, each in turn. A pass makes its own
 * Circle from the same seed, so a section written twice (the duplicate-parts quirk) names the same
 * accounts in the same tweets.
 */
export class Circle {
  private turn = 0;
  private readonly rng: Rng;

  constructor(
    private readonly members: readonly Identity[],
    seed: number,
  ) {
    this.rng = createRng(seed);
  }

  /** The next accounts for one tweet, as many as `weights` draws (none when the circle is empty). */
  next(weights: readonly number[]): Identity[] {
    const count = this.members.length === 0 ? 0 : Math.min(this.rng.weighted(weights), this.members.length);
    return Array.from({ length: count }, () => this.members[this.turn++ % this.members.length]!);
  }
}
