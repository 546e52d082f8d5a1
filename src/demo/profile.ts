/**
 * The `profile` and `account` items of an archive (docs/FORMATS.md, "Archives"),
 * with the profile and account quirks.
 */
import type { Rng } from '../rng.js';
import { DAY_MS, LATEST_EXPORT_MS, LOW_MASK, iso, snowflakeId } from './ids.js';
import { BIO_TEMPLATES, LOCATIONS, fill } from './names.js';
import type { Quirk } from './quirks.js';
import { randomCode, tcoUrl, type Identity, type Json } from './text.js';

/** Profile with bio, t.co website and location; the 'empty-profile-strings' quirk blanks some (website always). */
export function makeProfile(rng: Rng, owner: Identity, quirks: ReadonlySet<Quirk>): Json {
  const blank = quirks.has('empty-profile-strings');
  const bio = fill(rng.pick(BIO_TEMPLATES), rng);
  const website = tcoUrl(rng);
  const location = rng.pick(LOCATIONS);
  const profile: Json = {
    description: {
      bio: blank && rng.chance(0.5) ? '' : bio,
      website: blank ? '' : website,
      location: blank && rng.chance(0.5) ? '' : location,
    },
    avatarMediaUrl: `https://pbs.twimg.com/profile_images/${uploadId(rng)}/${randomCode(rng, 8)}.jpg`,
  };
  if (!quirks.has('no-header-media')) {
    const uploadedAtSeconds = Math.floor(LATEST_EXPORT_MS / 1000) - rng.int(30, 2000) * 86_400;
    profile.headerMediaUrl = `https://pbs.twimg.com/profile_banners/${owner.id}/${uploadedAtSeconds}`;
  }
  return { profile };
}

export function makeAccount(owner: Identity, createdMs: number, quirks: ReadonlySet<Quirk>): Json {
  const account: Json = {};
  if (!quirks.has('no-created-via')) account.createdVia = 'web';
  Object.assign(account, {
    username: owner.username,
    accountId: owner.id,
    createdAt: iso(createdMs),
    accountDisplayName: owner.name,
  });
  if (quirks.has('email-present')) account.email = `${owner.username.toLowerCase()}@example.invalid`;
  return { account };
}

/** The id of an upload 30 to 2000 days before the latest export (a snowflake, as X numbers its media). */
function uploadId(rng: Rng): string {
  return snowflakeId(LATEST_EXPORT_MS - rng.int(30, 2000) * DAY_MS, rng.int(0, LOW_MASK));
}
