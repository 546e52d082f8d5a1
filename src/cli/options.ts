/** Parsers for flag values: a bad value is a usage error that names the flag. */
import { InvalidArgumentError } from 'commander';

export function positiveInteger(name: string, max = 1_000_000_000) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number < 1 || number > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    }
    return number;
  };
}

/** A number; whether it is in range is checked with the rest of the flags (graph-options.ts). */
export function numberArgument(name: string) {
  return (value: string): number => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number)) throw new InvalidArgumentError(`${name} must be a number.`);
    return number;
  };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** A whole number from 0 to `max`. */
export function wholeNumber(name: string, max = 1_000_000_000) {
  return (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 0 to ${max}.`);
    }
    return number;
  };
}
