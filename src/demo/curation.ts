/**
 * Names, colours and seed lists for the demo's communities, so that `tpot start` shows a named map
 * out of the box (docs/COMMUNITIES.md, "The demo"). The generator knows which community every
 * account was drawn from; a curator would not, so only a few archive accounts of each community —
 * the most followed, as a curator would pick — become seeds, and propagation has to place the rest.
 * The file is in the format of `tpot communities import`.
 */
import type { DemoManifest } from './generator.js';

/** The curation file's name in a demo directory: not a valid username, so never read as an archive. */
export const DEMO_COMMUNITIES_FILE = 'demo-communities.json';

/** Seeds per community: at most this many, and never more than half its archive accounts (at least one). */
const MAX_SEEDS = 4;

const NAMES: readonly { short: string; name: string; color: string; description: string }[] = [
  { short: 'core', name: 'Core TPOT', color: '#e4572e', description: 'The accounts everyone here follows.' },
  { short: 'jhana', name: 'Jhana Practitioners', color: '#4c9f70', description: 'Meditation, jhanas, retreats.' },
  { short: 'vibecamp', name: 'Vibecamp', color: '#f3a712', description: 'Camp organisers and regulars.' },
  { short: 'qualia', name: 'Qualia Researchers', color: '#7e5bd6', description: 'Consciousness and valence.' },
  { short: 'ea', name: 'EA & Forecasting', color: '#2e86ab', description: 'Effective altruism, prediction markets.' },
  { short: 'llm', name: 'LLM Whisperers', color: '#d1495b', description: 'Prompting, model psychology.' },
  { short: 'postrat', name: 'Postrationalists', color: '#8d6a9f', description: 'After the rationalist diaspora.' },
  { short: 'builders', name: 'Builders', color: '#3a9e9e', description: 'Founders and indie hackers.' },
  { short: 'art', name: 'Art & Music', color: '#c9578c', description: 'Artists, musicians, poets.' },
  { short: 'embodied', name: 'Embodiment', color: '#6b8e23', description: 'Somatics, movement, therapy.' },
  { short: 'writers', name: 'Essayists', color: '#b07d2b', description: 'Long-form writers and bloggers.' },
  { short: 'parents', name: 'Parents', color: '#5f7fbf', description: 'Raising kids, education.' },
];

export interface DemoCuration {
  communities: { short: string; name: string; color: string; description: string; seeds: string[] }[];
}

export function demoCuration(manifest: DemoManifest): DemoCuration {
  if (manifest.communities > NAMES.length)
    throw new RangeError(`the demo names at most ${NAMES.length} communities, got ${manifest.communities}`);
  return {
    communities: NAMES.slice(0, manifest.communities).map((named, c) => {
      const members = manifest.accounts
        .filter((account) => account.community === c)
        .sort((a, b) => b.followers - a.followers || a.username.localeCompare(b.username));
      const count = Math.max(1, Math.min(MAX_SEEDS, Math.floor(members.length / 2)));
      return { ...named, seeds: members.slice(0, count).map((account) => account.username.toLowerCase()) };
    }),
  };
}
