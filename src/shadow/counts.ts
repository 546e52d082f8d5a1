/**
 * X's counter texts (docs/FORMATS.md, "Pages"): exact below 10,000 ("1,234"), compact above ("90.5K",
 * "12K", "1.2M"), sometimes with the label ("90.5K Followers", "1,064 Following"). A compact
 * count is a rounded-down display, so it is marked inexact; exact counts come from JSON-LD or
 * GraphQL.
 */

export interface ParsedCount {
  value: number;
  /** False for compact forms (K, M, B), which X rounds down. */
  exact: boolean;
}

const COUNT = /^\s*(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([KMB])?\b/i;
const SCALE: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9 };

export function parseCount(text: string | null | undefined): ParsedCount | null {
  if (!text) return null;
  const match = COUNT.exec(text.replace(/\u00a0/g, ' '));
  if (!match) return null;
  const digits = match[1]!;
  const suffix = match[2]?.toUpperCase();
  if (suffix) return { value: Math.round(Number(digits.replaceAll(',', '')) * SCALE[suffix]!), exact: false };
  if (digits.includes('.')) return null; // "1.5" without a suffix is not a count
  return { value: Number(digits.replaceAll(',', '')), exact: true };
}
