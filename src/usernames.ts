/**
 * X usernames (handles) as they may enter a URL or a file path.
 *
 * Usernames are lower-cased and must match ^[A-Za-z0-9_]{1,15}$ before they go into a
 * URL or a path, so that `../`, `/`, spaces or query characters can never reach the network or
 * the file system.
 */
import { TpotError } from './errors.js';
export const USERNAME_PATTERN = /^[A-Za-z0-9_]{1,15}$/;

export class InvalidUsernameError extends TpotError {
  constructor(readonly username: string) {
    super(
      'usage',
      `Invalid username ${JSON.stringify(username)}: ` +
        "a username is 1–15 letters, digits or underscores (no '/', '..', spaces or '@').",
    );
  }
}

/**
 * Returns the lower-cased handle, accepting a leading '@' and surrounding spaces; throws InvalidUsernameError
 * otherwise.
 */
export function normaliseUsername(raw: string): string {
  const trimmed = raw.trim().replace(/^@/, '');
  if (!USERNAME_PATTERN.test(trimmed)) throw new InvalidUsernameError(raw);
  return trimmed.toLowerCase();
}

export function isValidUsername(raw: string): boolean {
  return USERNAME_PATTERN.test(raw);
}
