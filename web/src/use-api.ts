/**
 * The one way the explorer loads data: `useApi(key, load)`. The key names the request (its URL
 * and whatever else decides the answer); a new key cancels the request in flight through its
 * AbortSignal, and an answer is only ever shown under the key it was asked for — a slow answer to
 * an old question never overwrites a newer one. A null key loads nothing (a dependency is not
 * there yet).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from './api';

export interface Loaded<T> {
  /** The answer for the current key; null while it loads, after a failure, or with a null key. */
  data: T | null;
  /** Why the current key's request failed, or null. */
  error: unknown;
  /** Puts a newer answer in place for the current key (a save that returned the new state). */
  replace: (data: T) => void;
}

interface Answer<T> {
  key: string;
  data: T | null;
  error: unknown;
}

export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  // The loader of the latest render: the request is decided by the key, not by the closure's identity.
  const loader = useRef(load);
  useEffect(() => {
    loader.current = load;
  });
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    loader.current(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setAnswer({ key, data, error: null });
      },
      (error: unknown) => {
        if (!controller.signal.aborted && !isAbort(error)) setAnswer({ key, data: null, error });
      },
    );
    return () => controller.abort();
  }, [key]);
  const replace = useCallback(
    (data: T) => {
      if (key !== null) setAnswer({ key, data, error: null });
    },
    [key],
  );
  const current = answer !== null && answer.key === key ? answer : null;
  return { data: current?.data ?? null, error: current?.error ?? null, replace };
}
