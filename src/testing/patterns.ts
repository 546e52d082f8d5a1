/**
 * Long expected-output patterns, written in pieces so no line of a test runs past 120 characters.
 * The pieces are regular expressions, so each keeps its own escapes.
 */

/** One pattern: the pieces one after the other. */
export function joined(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((part) => part.source).join(''));
}

/** One pattern: the pieces in this order, anything (newlines too) between them. */
export function inOrder(...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((part) => part.source).join('[\\s\\S]*'));
}
