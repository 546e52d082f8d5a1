/**
 * Word banks and the names made from them: usernames, display names and `{t}`/`{a}`/`{n}` templates.
 *
 * Handles match ^[A-Za-z0-9_]{1,15}$ and are unique case-insensitively, as the archive importer
 * expects of `account.username` (docs/FORMATS.md, "Archives").
 */
import type { Rng } from '../rng.js';

export const USERNAME_RE = /^[A-Za-z0-9_]{1,15}$/;

// ---------------------------------------------------------------------------------------------
// Word banks (invented; TPOT-flavoured so the demo reads plausibly)
// ---------------------------------------------------------------------------------------------

const words = (s: string): readonly string[] => s.split(' ');
const ADJECTIVES = words(
  'quiet soft feral cosmic tender lucid liminal gentle sharp strange hidden golden sleepy mythic wild honest ' +
    'small vast warm noisy patient curious rested earnest weird brave bright slow',
);
export const NOUNS = words(
  'fern moth frame vibe garden river signal ghost meadow lantern circuit harbor sparrow orchard tundra comet ' +
    'kettle thread meme pattern mirror ritual forest prism cipher beacon shrine hearth nomad otter',
);
const FIRST_NAMES = words(
  'ada ben cleo dev eli fatima gus hana ivo june kai lena milo nadia omar priya quinn rosa sam tomas uma vik ' +
    'wren yara zoe',
);
const TOPICS: readonly string[] = (
  'jhanas|the discourse|postrationalism|embodiment|meditation|group chats|shape rotation|vibecamp|' +
  'the timeline|attention|sleep|gardening|kindness|memetics|status games|legibility|therapy|' +
  'attachment styles|long walks|moloch|frames|world models|agency|' +
  'play|taste|community|writing|poasting|the simulacrum|fermentation'
).split('|');
export const TEMPLATES = [
  'hot take: {t} is just {t} with extra steps',
  'i keep coming back to {t}',
  'the older i get the more i think {t} matters',
  '{t} is underrated. {t} is overrated',
  'someone should write the definitive thread on {t}',
  "genuinely can't stop thinking about {t}",
  'every group chat eventually becomes about {t}',
  'reminder that {t} is a skill, not a trait',
  'what if {t} but for {t}',
  'the real {t} was the friends we made along the way',
  'unironically {t} fixed my life',
  'ok {t} discourse is back',
  'nobody talks about how {t} and {t} are the same thing',
  'my {t} take is that it depends on {t}',
  'spent the morning on {t} and feel {a}',
  "there's a {a} version of {t} that nobody tries",
  'a {a} {n} is worth more than a perfect plan',
];
export const REPLY_TEMPLATES = [
  'yes exactly',
  'this is so real',
  'strong agree',
  'wait say more',
  'lol',
  'counterpoint: {t}',
  'i think this is right but {t} complicates it',
  'this is the way',
  'ok but have you tried {t}',
  'saving this for later',
];
export const FOREIGN = [
  { text: 'おはようございます ☀️ 今日も{t}', lang: 'ja' },
  { text: 'buenos días a todos, hoy toca {t}', lang: 'es' },
  { text: 'صباح الخير يا أصدقاء', lang: 'ar' },
  { text: 'Guten Morgen, heute geht es um {t}', lang: 'de' },
];
/** ZWJ sequences, RTL scripts, astral-plane letters: JS length != code points. */
export const UNICODE_SNIPPETS = [
  '🏳️‍🌈',
  '👩🏽‍💻',
  '👨‍👩‍👧‍👦',
  '🧑‍🌾',
  '❤️‍🔥',
  '🫠',
  '✨',
  '🌱',
  'مرحبا بالعالم',
  'שלום עולם',
  '𝕳𝖊𝖑𝖑𝖔',
  '𝓿𝓲𝓫𝓮𝓼',
  '日本語のテキスト',
  '𓂀',
  'naïve café',
  '∀x ∃y',
];
/** Already HTML-escaped, as `full_text` is in real exports. */
export const ENTITY_SNIPPETS = [
  '{t} &amp; {t}',
  'x &lt; y',
  '-&gt; {t}',
  '&lt;3',
  'cost &gt; benefit',
  'R&amp;D',
  '&lt;/thread&gt;',
];
export const HASHTAGS = words(
  'tpot vibecamp postrat buildinpublic MeditationMonday 日本語 100DaysOfCode gardening AI WritingCommunity',
);
export const LINK_DOMAINS = words('example.com substack.com arxiv.org github.com youtu.be en.wikipedia.org');
export const LOCATIONS = [
  'the internet',
  'SF',
  'Berlin',
  'London',
  'Toronto, Ontario',
  'Brooklyn, NY',
  '東京',
  '🌍',
  'somewhere in the woods',
  'Austin, TX',
];
export const BIO_TEMPLATES = [
  '{a} {n} enjoyer',
  'thinking about {t} | {t}',
  'writing about {t} ✨',
  '{t} and {t}. dms open',
  'building {a} things 🌱',
  'ex-{n}, now {t}',
];
export const SOURCES = [
  { html: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>', weight: 5 },
  { html: '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>', weight: 4 },
  { html: '<a href="http://twitter.com/download/android" rel="nofollow">Twitter for Android</a>', weight: 2 },
  { html: '<a href="https://about.twitter.com/products/tweetdeck" rel="nofollow">TweetDeck</a>', weight: 1 },
];
export const SOURCE_WEIGHTS = SOURCES.map((s) => s.weight);
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function fill(template: string, rng: Rng): string {
  return template.replace(/\{([tan])\}/g, (_, slot: string) =>
    rng.pick(slot === 't' ? TOPICS : slot === 'a' ? ADJECTIVES : NOUNS),
  );
}

/**
 * A handle matching ^[A-Za-z0-9_]{1,15}$ in one of the common styles (lowercase, CamelCase,
 * snake_case, trailing digits). `taken` holds lower-cased handles already used; the result is
 * added to it, so handles stay unique case-insensitively.
 */
export function demoUsername(rng: Rng, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const adj = rng.pick(ADJECTIVES);
    const noun = rng.pick(NOUNS);
    const styles = [
      () => adj + noun,
      () => capitalize(adj) + capitalize(noun),
      () => `${adj}_${noun}`,
      () => `${noun}${rng.int(1, 9999)}`,
      () => `${rng.pick(FIRST_NAMES)}_${noun}`,
      () => `_${adj}${noun}`,
      () => `${capitalize(rng.pick(FIRST_NAMES))}${capitalize(noun)}${rng.int(0, 99)}`,
      () => `${noun.toUpperCase()}_${rng.pick(['OS', 'HQ', 'AI', 'XO'])}`,
    ];
    let handle = rng.pick(styles)().slice(0, 15);
    // After a few collisions, a base-36 counter suffix guarantees progress.
    if (attempt >= 8) {
      const suffix = (taken.size + attempt).toString(36);
      handle = handle.slice(0, 15 - suffix.length) + suffix;
    }
    const key = handle.toLowerCase();
    if (!taken.has(key)) {
      taken.add(key);
      return handle;
    }
  }
}

/** Display names that a byte-based or left-to-right-only code path would get wrong. */
const OTHER_SCRIPT_NAMES = [
  // right to left
  'مريم',
  'יונתן',
  // wide characters, accented Latin, astral-plane letters, Cyrillic
  '山田 花子',
  'Zoë Ångström',
  '𝖖𝖚𝖎𝖊𝖙 𝖋𝖊𝖗𝖓',
  'Дмитрий Иванов',
];

/** A display name: mostly plain words, sometimes with emoji, a tagline or non-Latin script. */
export function demoDisplayName(rng: Rng, username: string): string {
  const base = username
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim();
  const r = rng.next();
  if (r < 0.45) return base.split(/\s+/).map(capitalize).join(' ') || username;
  if (r < 0.65) return `${base.toLowerCase()} ${rng.pick(['🌱', '✨', '🦋', '🏳️‍🌈', '🧘', '🌊'])}`;
  if (r < 0.8) return `${capitalize(rng.pick(FIRST_NAMES))} | ${fill('{t}', rng)}`;
  if (r < 0.88) return rng.pick(OTHER_SCRIPT_NAMES);
  return base.toLowerCase();
}
