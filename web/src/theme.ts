/**
 * Light and dark themes. The choice (system, light or dark) is the user's, kept in localStorage rather than the URL:
 * a shared link should look the way its reader likes. "system" follows `prefers-color-scheme` as it changes. The
 * page's colours are CSS variables under `:root[data-theme]` (styles.css); the map's, which WebGL draws, are here.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'tpot.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

/** What the map draws besides the nodes' own colours. */
export interface MapTheme {
  /** The map's background (styles.css --map-bg): faded colours are mixed with it (named-map.ts blend). */
  background: string;
  label: string;
  /** Accounts outside the selection or the ego neighbourhood. */
  dimmed: string;
  /** Follows on maps small enough to draw them all, mixed with the background by edgeAlpha; shadow follows fainter. */
  edge: string;
  shadowEdge: string;
  /** The selected account's (or my account's) follows. */
  highlightEdge: string;
  /** Behind a hovered or highlighted account's label. */
  labelBox: string;
}

export const MAP_THEMES: Record<Theme, MapTheme> = {
  light: {
    background: '#ffffff',
    label: '#111827',
    dimmed: '#e5e7eb',
    edge: '#475569',
    shadowEdge: '#94a3b8',
    highlightEdge: '#f59e0b',
    labelBox: '#ffffff',
  },
  dark: {
    background: '#0b1020',
    label: '#e5e7eb',
    dimmed: '#1f2937',
    edge: '#cbd5e1',
    shadowEdge: '#64748b',
    highlightEdge: '#fbbf24',
    labelBox: '#1f2937',
  },
};

/**
 * How strongly a follow is drawn: a few hundred follows clearly, tens of thousands faintly enough that the
 * communities still show over the haze they make.
 */
export function edgeAlpha(edges: number): number {
  return Math.min(0.6, Math.max(0.12, 0.6 * Math.sqrt(2000 / Math.max(1, edges))));
}

function storedChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    // Storage can be refused (private windows, file: pages): the system's preference then.
    return 'system';
  }
}

function subscribeToSystem(changed: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
}

/** The theme in force, the user's choice, and how to change it; keeps `<html data-theme>` in step. */
export function useTheme(): { theme: Theme; choice: ThemeChoice; choose: (choice: ThemeChoice) => void } {
  const [choice, setChoice] = useState<ThemeChoice>(storedChoice);
  const systemDark = useSyncExternalStore(subscribeToSystem, () => window.matchMedia(DARK_QUERY).matches);
  const theme: Theme = choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const choose = (next: ThemeChoice) => {
    setChoice(next);
    try {
      if (next === 'system') window.localStorage.removeItem(STORAGE_KEY);
      else window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not kept across visits, but in force now.
    }
  };
  return { theme, choice, choose };
}
