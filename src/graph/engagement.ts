/**
 * Engagement: (likes + tweets) / max(followers, 1) per account — how much an account
 * does for the audience it has. 0 when the counts are unknown.
 */
export interface AccountCounts {
  numFollowers: number | null;
  numTweets: number | null;
  numLikes: number | null;
}

export function engagement(counts: readonly AccountCounts[]): Float64Array {
  const scores = new Float64Array(counts.length);
  counts.forEach((c, i) => {
    if (c.numTweets === null && c.numLikes === null) return;
    scores[i] = ((c.numLikes ?? 0) + (c.numTweets ?? 0)) / Math.max(c.numFollowers ?? 0, 1);
  });
  return scores;
}
