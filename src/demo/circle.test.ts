/** Whom a demo member's tweets name: the order (least followed first) and the turns of one pass. */
import { describe, expect, it } from 'vitest';
import { Circle, talkOrder } from './circle.js';
import type { Network } from './network.js';

const person = (i: number) => ({ id: `${100 + i}`, username: `p${i}`, name: `P ${i}`, createdMs: 0, community: 0 });

describe('talkOrder', () => {
  it('puts the accounts fewest members follow first, keeping the list order between equals', () => {
    // Members 0 and 1; 5 is followed by both, 2, 3 and 4 by one each.
    const net: Network = {
      people: Array.from({ length: 6 }, (_, i) => person(i)),
      following: [
        [5, 3, 2],
        [4, 5, 0],
      ],
      followers: [[], []],
    };
    expect(talkOrder(net)).toEqual([
      [3, 2, 5],
      [4, 0, 5],
    ]);
  });
});

describe('Circle', () => {
  const members = Array.from({ length: 5 }, (_, i) => person(i));

  it('names every member in turn before naming one again, the same way in every pass of the same seed', () => {
    const pass = () => {
      const circle = new Circle(members, 9);
      return Array.from({ length: 12 }, () => circle.next([1, 1, 1]).map((m) => m.username));
    };
    const first = pass();
    const named = first.flat();
    expect(named.length).toBeGreaterThan(5);
    expect(named).toEqual(named.map((_, k) => `p${k % 5}`));
    expect(pass()).toEqual(first);
  });

  it('names at most its members in one tweet, and nobody when it has none', () => {
    expect(new Circle(members.slice(0, 2), 1).next([0, 0, 0, 0, 1])).toHaveLength(2);
    expect(new Circle([], 1).next([0, 1])).toEqual([]);
  });
});
