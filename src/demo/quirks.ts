/**
 * The archive quirks (docs/FORMATS.md, "Quirks") and the plan that
 * spreads them over a demo community by account index.
 */

/** The archive quirks, by the names recorded in `DemoAccount.quirks`. */
export type Quirk =
  | 'numeric-counts' // favorite/retweet counts and indices as JS numbers, some retweet_count null
  | 'no-upload-options' // older or admin uploads
  | 'duplicate-parts' // every item of tweets/follower/following/like twice (macOS zip bug)
  | 'unwrapped-tweets' // pre-2020 export: bare tweet objects, no edit_info
  | 'email-present' // admin upload script keeps account.email
  | 'no-like-section' // `like` key absent
  | 'self-follow' // own id in follower and following
  | 'html-entities' // &amp; &lt; &gt; in tweet or like text
  | 'note-tweet' // `note-tweet` section + the truncated tweets it belongs to
  | 'community-tweet' // `community-tweet` section
  | 'alt-date-format' // one tweet with created_at "2023-03-01 10:00:00 +0000"
  | 'no-header-media' // profile without headerMediaUrl
  | 'empty-profile-strings' // "" for bio, website or location
  | 'no-created-via'; // account without createdVia

export const QUIRK_ORDER: readonly Quirk[] = [
  'numeric-counts',
  'no-upload-options',
  'duplicate-parts',
  'unwrapped-tweets',
  'email-present',
  'no-like-section',
  'self-follow',
  'html-entities',
  'note-tweet',
  'community-tweet',
  'alt-date-format',
  'no-header-media',
  'empty-profile-strings',
  'no-created-via',
];

/** Quirks carried by exactly one archive, by account index. */
const SINGLE_QUIRKS: Readonly<Record<number, readonly Quirk[]>> = {
  1: ['numeric-counts'],
  2: ['no-like-section', 'no-upload-options'], // a third-party converter's output
  3: ['duplicate-parts'],
  4: ['unwrapped-tweets'],
  5: ['email-present', 'no-upload-options'], // the admin upload script keeps email, adds no options
  6: ['self-follow'],
  7: ['community-tweet'],
  8: ['alt-date-format'],
  9: ['empty-profile-strings', 'no-header-media'],
};

/**
 * Quirks planned for the archive at `index`: one-off quirks on indices 1–9, recurring ones on
 * residues (so every size >= 12 shows all of them), and none on index 0. Data-dependent quirks
 * (html-entities, note-tweet, …) are recorded in the manifest only if the archive really shows them.
 */
export function plannedQuirks(index: number): Quirk[] {
  if (index === 0) return [];
  const quirks = new Set<Quirk>(SINGLE_QUIRKS[index] ?? []);
  if (index % 3 === 1) quirks.add('html-entities');
  // Long posts exist only since 2023, unwrapped tweets only before 2020.
  if (index % 4 === 3 && !quirks.has('unwrapped-tweets')) quirks.add('note-tweet');
  if (index % 10 === 0) quirks.add('no-upload-options');
  if (index % 6 === 5) quirks.add('no-header-media');
  if (index % 11 === 10) quirks.add('no-created-via');
  if (index % 7 === 6) quirks.add('empty-profile-strings');
  return QUIRK_ORDER.filter((q) => quirks.has(q));
}
