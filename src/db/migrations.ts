/**
 * Versioned schema migrations; docs/DATA-MODEL.md says what each table and column means. `PRAGMA
 * user_version` holds the number of migrations applied; each migration runs in its own transaction,
 * so a crash leaves the previous version. Table and column names are a contract: the operations
 * runbook queries them directly. All ids are TEXT (X ids exceed 2^53); all timestamps are UTC text
 * `YYYY-MM-DD HH:MM:SS`.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'contract tables: REST mirror, archive, ledger, shadow, scrape metrics',
    sql: `
-- Edge tables are WITHOUT ROWID: the natural key is the only B-tree, which halves the work of
-- writing millions of follow edges (measured in docs/BENCHMARKS.md).

-- Community Archive REST mirror (tpot sync).
CREATE TABLE account (
  account_id TEXT PRIMARY KEY,
  username TEXT,
  account_display_name TEXT,
  created_at TEXT,
  created_via TEXT,
  num_followers INTEGER,
  num_following INTEGER,
  num_tweets INTEGER,
  num_likes INTEGER
);
CREATE INDEX account_username ON account(username COLLATE NOCASE);

CREATE TABLE profile (
  account_id TEXT PRIMARY KEY,
  bio TEXT,
  website TEXT,
  location TEXT,
  avatar_media_url TEXT,
  header_media_url TEXT,
  archive_upload_id TEXT
);

-- followers: follower_account_id follows account_id.
CREATE TABLE followers (
  account_id TEXT NOT NULL,
  follower_account_id TEXT NOT NULL,
  PRIMARY KEY (account_id, follower_account_id)
) WITHOUT ROWID;
CREATE INDEX followers_follower ON followers(follower_account_id);

-- following: account_id follows following_account_id.
CREATE TABLE following (
  account_id TEXT NOT NULL,
  following_account_id TEXT NOT NULL,
  PRIMARY KEY (account_id, following_account_id)
) WITHOUT ROWID;
CREATE INDEX following_target ON following(following_account_id);

CREATE TABLE tweets (
  tweet_id TEXT PRIMARY KEY,
  account_id TEXT,
  created_at TEXT,
  full_text TEXT,
  retweet_count INTEGER,
  favorite_count INTEGER,
  reply_to_tweet_id TEXT,
  reply_to_user_id TEXT,
  reply_to_username TEXT,
  archive_upload_id TEXT
);
CREATE INDEX tweets_account ON tweets(account_id);

CREATE TABLE likes (
  account_id TEXT NOT NULL,
  liked_tweet_id TEXT NOT NULL,
  PRIMARY KEY (account_id, liked_tweet_id)
) WITHOUT ROWID;

CREATE TABLE mentioned_users (
  user_id TEXT PRIMARY KEY,
  name TEXT,
  screen_name TEXT,
  updated_at TEXT
);
CREATE INDEX mentioned_users_screen_name ON mentioned_users(screen_name COLLATE NOCASE);

-- One row per synced REST table. fetched_at/row_count describe the live table (NULL before the
-- first complete sync); status 'syncing' with resume_key is an unfinished sync that the next
-- run continues (its rows wait in sync_stage_<table>).
CREATE TABLE cache_metadata (
  table_name TEXT PRIMARY KEY,
  fetched_at TEXT,
  row_count INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'complete' CHECK (status IN ('complete', 'syncing')),
  resume_key TEXT,
  staged_rows INTEGER NOT NULL DEFAULT 0,
  staged_pages INTEGER NOT NULL DEFAULT 0,
  sync_started_at TEXT
);

-- Archive import (tpot import). uploaded_at is the source's Last-Modified.
CREATE TABLE archive_following (
  account_id TEXT NOT NULL,
  following_account_id TEXT NOT NULL,
  uploaded_at TEXT,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (account_id, following_account_id)
) WITHOUT ROWID;
CREATE INDEX archive_following_target ON archive_following(following_account_id);

CREATE TABLE archive_followers (
  account_id TEXT NOT NULL,
  follower_account_id TEXT NOT NULL,
  uploaded_at TEXT,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (account_id, follower_account_id)
) WITHOUT ROWID;
CREATE INDEX archive_followers_follower ON archive_followers(follower_account_id);

-- One row per archive owner: the profile plus the account fields, so archive accounts are
-- named even before tpot sync has filled the account table.
CREATE TABLE archive_profiles (
  account_id TEXT PRIMARY KEY,
  username TEXT,
  account_display_name TEXT,
  account_created_at TEXT,
  created_via TEXT,
  bio TEXT,
  website TEXT,
  location TEXT,
  avatar_media_url TEXT,
  header_media_url TEXT,
  num_tweets INTEGER,
  num_likes INTEGER,
  num_followers INTEGER,
  num_following INTEGER,
  uploaded_at TEXT,
  imported_at TEXT NOT NULL
);
CREATE INDEX archive_profiles_username ON archive_profiles(username COLLATE NOCASE);

CREATE TABLE archive_tweets (
  account_id TEXT NOT NULL,
  tweet_id TEXT NOT NULL,
  full_text TEXT,
  created_at TEXT,
  favorite_count INTEGER,
  retweet_count INTEGER,
  lang TEXT,
  reply_to_tweet_id TEXT,
  reply_to_user_id TEXT,
  reply_to_username TEXT,
  uploaded_at TEXT,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (account_id, tweet_id)
) WITHOUT ROWID;

CREATE TABLE archive_likes (
  account_id TEXT NOT NULL,
  tweet_id TEXT NOT NULL,
  full_text TEXT,
  expanded_url TEXT,
  uploaded_at TEXT,
  imported_at TEXT NOT NULL,
  PRIMARY KEY (account_id, tweet_id)
) WITHOUT ROWID;

-- The import ledger: written in the same transaction as the archive's rows, so 'imported'
-- means every row is present.
CREATE TABLE archive_imports (
  username TEXT PRIMARY KEY,
  account_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('imported', 'not_found', 'failed')),
  source TEXT,
  uploaded_at TEXT,
  etag TEXT,
  bytes INTEGER,
  sha256 TEXT,
  tweets_count INTEGER,
  tweets_stored INTEGER,
  likes_count INTEGER,
  followers_count INTEGER,
  following_count INTEGER,
  duplicates_dropped INTEGER,
  merge_strategy TEXT,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  imported_at TEXT NOT NULL
);
CREATE INDEX archive_imports_account ON archive_imports(account_id);

-- Shadow enrichment (tpot enrich). A shadow_edge always means source follows target.
CREATE TABLE shadow_account (
  account_id TEXT PRIMARY KEY,
  username TEXT,
  display_name TEXT,
  bio TEXT,
  location TEXT,
  website TEXT,
  profile_image_url TEXT,
  followers_count INTEGER,
  following_count INTEGER,
  source_channel TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  checked_at TEXT,
  scrape_stats TEXT,
  is_shadow INTEGER NOT NULL DEFAULT 1,
  account_status TEXT
);
CREATE INDEX shadow_account_username ON shadow_account(username COLLATE NOCASE);

CREATE TABLE shadow_edge (
  source_id TEXT NOT NULL,
  target_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  source_channel TEXT NOT NULL,
  fetched_at TEXT NOT NULL,
  checked_at TEXT,
  weight INTEGER,
  metadata TEXT,
  PRIMARY KEY (source_id, target_id, direction)
);
CREATE INDEX shadow_edge_target ON shadow_edge(target_id);

CREATE TABLE shadow_discovery (
  shadow_account_id TEXT NOT NULL,
  seed_account_id TEXT NOT NULL,
  discovered_at TEXT NOT NULL,
  discovery_method TEXT NOT NULL,
  PRIMARY KEY (shadow_account_id, seed_account_id)
);

-- One row per seed attempt; coverage columns are percent (0–100).
CREATE TABLE scrape_run_metrics (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  seed_account_id TEXT NOT NULL,
  seed_username TEXT NOT NULL,
  run_at TEXT NOT NULL,
  duration_seconds REAL NOT NULL DEFAULT 0,
  following_captured INTEGER NOT NULL DEFAULT 0,
  followers_captured INTEGER NOT NULL DEFAULT 0,
  followers_you_follow_captured INTEGER NOT NULL DEFAULT 0,
  following_claimed_total INTEGER,
  followers_claimed_total INTEGER,
  followers_you_follow_claimed_total INTEGER,
  following_coverage REAL,
  followers_coverage REAL,
  followers_you_follow_coverage REAL,
  accounts_upserted INTEGER NOT NULL DEFAULT 0,
  edges_upserted INTEGER NOT NULL DEFAULT 0,
  discoveries_upserted INTEGER NOT NULL DEFAULT 0,
  phase_timings TEXT,
  skipped INTEGER NOT NULL DEFAULT 0,
  skip_reason TEXT,
  error_type TEXT,
  error_details TEXT
);
CREATE INDEX scrape_run_metrics_seed ON scrape_run_metrics(seed_account_id, run_at);
CREATE INDEX scrape_run_metrics_run_at ON scrape_run_metrics(run_at);
`,
  },
  {
    version: 2,
    name: 'communities: curation (communities, seeds, notes, tags, history, versions) and propagation runs',
    sql: `
-- Curation (tpot communities). Community ids are ours, AUTOINCREMENT so an id is never reused:
-- propagation runs and saved versions refer to them after a community is removed.
CREATE TABLE community (
  community_id INTEGER PRIMARY KEY AUTOINCREMENT,
  short_name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  color TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- An account is a seed of at most one community: the key is the account alone.
CREATE TABLE community_seed (
  account_id TEXT PRIMARY KEY,
  community_id INTEGER NOT NULL REFERENCES community(community_id) ON DELETE CASCADE,
  added_by TEXT NOT NULL,
  added_at TEXT NOT NULL,
  note TEXT
);
CREATE INDEX community_seed_community ON community_seed(community_id);

CREATE TABLE account_note (
  account_id TEXT PRIMARY KEY,
  note TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE account_tag (
  account_id TEXT NOT NULL,
  tag TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY (account_id, tag)
) WITHOUT ROWID;

-- Every curation write; detail is JSON with the values before and after. No foreign keys: the
-- history outlives the communities and accounts it describes.
CREATE TABLE curation_history (
  history_id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  community_id INTEGER,
  account_id TEXT,
  detail TEXT
);

-- Named snapshots of the whole curation state (JSON); content_hash covers communities and seeds.
CREATE TABLE curation_version (
  version_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  actor TEXT NOT NULL,
  note TEXT,
  content TEXT NOT NULL,
  content_hash TEXT NOT NULL
);

-- Propagation (tpot communities run). Run rows are kept forever; memberships only for the newest runs.
CREATE TABLE propagation_run (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  engine TEXT NOT NULL,
  parameters TEXT NOT NULL,
  seed_hash TEXT NOT NULL,
  version_name TEXT,
  duration_ms REAL NOT NULL,
  converged INTEGER NOT NULL,
  iterations INTEGER NOT NULL,
  residual REAL NOT NULL,
  node_count INTEGER NOT NULL,
  seed_count INTEGER NOT NULL,
  bootstrap_samples INTEGER NOT NULL,
  communities TEXT NOT NULL,
  summary TEXT
);

-- weights is sparse JSON {"<community_id>": weight}, only weights of at least 0.005.
CREATE TABLE account_membership (
  run_id INTEGER NOT NULL REFERENCES propagation_run(run_id) ON DELETE CASCADE,
  account_id TEXT NOT NULL,
  top_community_id INTEGER,
  confidence REAL NOT NULL,
  none_weight REAL NOT NULL,
  uncertainty REAL,
  band TEXT NOT NULL,
  seed_degree INTEGER NOT NULL,
  weights TEXT NOT NULL,
  PRIMARY KEY (run_id, account_id)
) WITHOUT ROWID;
CREATE INDEX account_membership_members ON account_membership(run_id, top_community_id, confidence DESC);
`,
  },
  {
    version: 3,
    name: 'interactions from archives: mentions, replies, quotes and retweets per pair',
    sql: `
-- One row per (author, other account, kind): how many of the author's tweets did it, and the newest
-- one's time. Replaced whole with the author's archive, like its follows; when it was uploaded and
-- imported is the author's archive_profiles row. No index on the target: every reader so far reads
-- the whole table, and a second B-tree made the corpus import markedly slower (docs/BENCHMARKS.md).
CREATE TABLE archive_interactions (
  account_id TEXT NOT NULL,
  target_account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'quote', 'retweet', 'like')),
  count INTEGER NOT NULL CHECK (count > 0),
  last_at TEXT,
  PRIMARY KEY (account_id, target_account_id, kind)
) WITHOUT ROWID;
`,
  },
  {
    version: 4,
    name: 'names from mentions: the handle each mentioned id had when last seen',
    sql: `
-- A tweet's mention entity names the account it mentions (id, handle, display name). The newest
-- mention wins: seen_at is the mentioning tweet's time. Not removed with an archive: a name once
-- seen is still the best we have for an id no other table names.
CREATE TABLE mention_names (
  account_id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT,
  seen_at TEXT
);
CREATE INDEX mention_names_username ON mention_names(username COLLATE NOCASE);
`,
  },
  {
    version: 5,
    name: 'interactions from the REST tables: mentions, quotes, retweets, liked tweets and their pairs',
    sql: `
-- REST mirror tables read only to derive rest_interactions (docs/DATA-MODEL.md, "Interactions"). Each keeps the
-- columns the derivation needs, keyed so that every join it makes is a lookup on a primary key (tweets.tweet_id,
-- liked_tweets.tweet_id): no other index is needed. user_mentions is keyed by its upstream-unique pair, tweet first,
-- so the derivation reads it in the order of the tweets it looks up.
CREATE TABLE user_mentions (
  tweet_id TEXT NOT NULL,
  mentioned_user_id TEXT NOT NULL,
  PRIMARY KEY (tweet_id, mentioned_user_id)
) WITHOUT ROWID;

CREATE TABLE quote_tweets (
  tweet_id TEXT NOT NULL,
  quoted_tweet_id TEXT NOT NULL,
  PRIMARY KEY (tweet_id, quoted_tweet_id)
) WITHOUT ROWID;

-- retweeted_tweet_id is NULL until the Community Archive has matched the retweet's text to a tweet.
CREATE TABLE retweets (
  tweet_id TEXT NOT NULL PRIMARY KEY,
  retweeted_tweet_id TEXT
) WITHOUT ROWID;

-- Only who wrote a liked tweet: its text is mostly withheld upstream, and never mirrored.
CREATE TABLE liked_tweets (
  tweet_id TEXT NOT NULL PRIMARY KEY,
  author_account_id TEXT
) WITHOUT ROWID;

-- The same pairs as archive_interactions, derived from the REST mirror (and archive_likes, whose authors only the
-- REST tables tell); rebuilt whole after a sync replaced one of its source tables, and an import replaces the like
-- pairs of the archives it imported.
CREATE TABLE rest_interactions (
  account_id TEXT NOT NULL,
  target_account_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('mention', 'reply', 'quote', 'retweet', 'like')),
  count INTEGER NOT NULL CHECK (count > 0),
  last_at TEXT,
  PRIMARY KEY (account_id, target_account_id, kind)
) WITHOUT ROWID;
`,
  },
  {
    version: 6,
    name: 'mention_names keyed by the account id alone (one B-tree fewer for every import)',
    sql: `
-- Every import upserts the names its mentions carry; as a rowid table with a text key, each upsert walked the
-- key's index and then the table. Keyed by the id itself it is one B-tree (and the handle's index).
CREATE TABLE mention_names_new (
  account_id TEXT PRIMARY KEY,
  username TEXT NOT NULL,
  display_name TEXT,
  seen_at TEXT
) WITHOUT ROWID;
INSERT INTO mention_names_new SELECT account_id, username, display_name, seen_at FROM mention_names;
DROP TABLE mention_names;
ALTER TABLE mention_names_new RENAME TO mention_names;
CREATE INDEX mention_names_username ON mention_names(username COLLATE NOCASE);
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
