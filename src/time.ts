/**
 * Timestamps. The database stores UTC text in SQLite's own form `YYYY-MM-DD HH:MM:SS`
 * so that `datetime('now','-7 days')` comparisons work. Archives carry several date formats
 * (docs/FORMATS.md, "Dates"); `parseArchiveDate` accepts all of them.
 */

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
export function toSqliteUtc(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

export function nowUtc(): string {
  return toSqliteUtc(new Date());
}

/** Milliseconds since the epoch of SQLite UTC text. */
/** The current UTC time as 14 digits (`20261123105600`), for file names that sort by time. */
export function fileStampUtc(): string {
  return nowUtc().replace(/[-: ]/g, '');
}

export function sqliteUtcMs(utc: string): number {
  return Date.parse(`${utc.replace(' ', 'T')}Z`);
}

/** Days between SQLite UTC text and `now`. */
export function ageDays(utc: string, now = Date.now()): number {
  return (now - sqliteUtcMs(utc)) / 86_400_000;
}

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

const MONTH_NUMBERS = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'];

// "Wed Oct 10 20:19:24 +0000 2018" — the tweet format.
const TWITTER_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;
// "2023-03-01 10:00:00 +0000", "2018-10-10T20:19:24.000Z", "2018-10-10T20:19:24+00:00", "2024-01-02".
const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses any date format found in archives and REST rows; returns SQLite UTC text, or null when
 * the value is missing or not a date (never throws: a bad date must not fail a whole archive).
 */
export function parseArchiveDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let ms: number;
  const tw = TWITTER_DATE.exec(text);
  if (tw) {
    const [, mon, day, hh, mm, ss, sign, oh, om, year] = tw;
    const month = MONTHS[mon!];
    if (month === undefined) return null;
    // Tweets are always +0000 (docs/FORMATS.md, "Dates"): the text is already UTC, no Date round trip needed.
    if (oh === '00' && om === '00' && Number(day) <= 28 && Number(hh) < 24 && Number(mm) < 60 && Number(ss) < 60) {
      return `${year}-${MONTH_NUMBERS[month]}-${day!.padStart(2, '0')} ${hh}:${mm}:${ss}`;
    }
    const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
    ms = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss)) - offset * 60_000;
  } else {
    const iso = ISO_LIKE.exec(text);
    if (!iso) return null;
    const [, y, mo, d, hh = '0', mi = '0', ss = '0', zone] = iso;
    let offset = 0;
    if (zone && zone !== 'Z') {
      const digits = zone.replace(':', '');
      offset = (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mi), Number(ss)) - offset * 60_000;
  }
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : toSqliteUtc(date);
}

/** Parses an HTTP date (Last-Modified); null when absent or unparsable. */
export function parseHttpDate(value: string | undefined | null): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : toSqliteUtc(new Date(ms));
}
