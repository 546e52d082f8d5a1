/**
 * `tpot verify profile-counters FILE.html…` (docs/FORMATS.md, "Pages"): re-extracts each saved X page with the
 * enricher's own extractor and says, per page, what it found — handle, id, follower and following
 * counts with their source, the other profile fields — and whether a counter is missing.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { extractProfile, type Counter } from './profile-extractor.js';
import { errorMessage } from '../errors.js';

/** The enricher names snapshots `snapshot_<handle>_<REASON>_…html`: a hint when the page does not say. */
export function handleFromFileName(path: string): string | undefined {
  return /^snapshot_([A-Za-z0-9_]{1,15}?)_[A-Z]/.exec(basename(path))?.[1];
}

function counterLine(name: string, counter: Counter | null): string {
  if (!counter) return `  ✗ ${name}: missing`;
  const precision = counter.exact ? ', exact' : ', compact: rounded down';
  return `  ✓ ${name}: ${counter.value.toLocaleString('en-US')} (${counter.source}${precision})`;
}

export function verifyProfileCounters(files: readonly string[]): { text: string; passed: boolean } {
  const lines: string[] = [];
  let complete = 0;
  for (const file of files) {
    let html: string;
    try {
      html = readFileSync(file, 'utf8');
    } catch (error) {
      lines.push(`${file}: ✗ cannot read it (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
      continue;
    }
    const hint = handleFromFileName(file);
    const profile = extractProfile(html, hint ? { handle: hint } : {});
    lines.push(
      `${file}: ${profile.handle ? `@${profile.handle}` : 'no handle found'}` +
        (profile.accountId ? ` (id ${profile.accountId})` : '') +
        (profile.state !== 'active' ? ` — ${profile.state}` : ''),
    );
    lines.push(counterLine('followers', profile.followers), counterLine('following', profile.following));
    const fields = {
      name: profile.displayName,
      location: profile.location,
      website: profile.website,
      joined: profile.createdAt,
      posts: profile.posts?.value,
    };
    lines.push(
      `  ${Object.entries(fields)
        .map(([key, value]) => `${key}: ${value ?? '—'}`)
        .join(' · ')}`,
    );
    if (profile.staleSchemaIgnored)
      lines.push('  (a profile schema of another account was on the page and was ignored)');
    if (profile.followers && profile.following) complete++;
  }
  const passed = complete === files.length;
  lines.push(
    `RESULT: ${complete}/${files.length} pages with both counters` +
      (passed
        ? ''
        : ' — pages without them are not usable profile snapshots ' +
          '(a login wall, an error page, or a page saved before it loaded)'),
  );
  return { text: lines.join('\n'), passed };
}
