/**
 * Search any handle and fly to it: suggestions from /api/accounts/search as a listbox,
 * usable by keyboard — arrows move, Enter picks, Escape closes.
 */
import { useEffect, useId, useState } from 'react';
import { api, type SearchResult } from '../api';

export function SearchBox({
  onPick,
  placeholder = 'Search a handle…',
  label = 'Search accounts',
}: {
  onPick: (result: SearchResult) => void;
  placeholder?: string;
  label?: string;
}) {
  const [text, setText] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const listId = useId();

  useEffect(() => {
    const q = text.trim();
    if (q === '') {
      setResults([]);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      api.search(q).then(
        (found) => {
          if (cancelled) return;
          setResults(found.results);
          setActive(0);
          setOpen(true);
        },
        () => setResults([]),
      );
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text]);

  const pick = (result: SearchResult | undefined) => {
    if (!result) return;
    onPick(result);
    setText('');
    setOpen(false);
  };

  return (
    <div className="search">
      <input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={text}
        role="combobox"
        aria-expanded={open && results.length > 0}
        aria-controls={listId}
        aria-activedescendant={open && results[active] ? `${listId}-${active}` : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((a) => Math.min(results.length - 1, a + 1));
          else if (event.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
          else if (event.key === 'Enter') pick(results[active]);
          else if (event.key === 'Escape') setOpen(false);
          else return;
          event.preventDefault();
        }}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      {open && results.length > 0 && (
        <ul className="suggestions" role="listbox" id={listId}>
          {results.map((result, i) => (
            <li
              key={result.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : ''}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(result);
              }}
            >
              <strong>@{result.username ?? result.id}</strong>{' '}
              {result.display_name && <span>{result.display_name}</span>}
              {result.shadow && <em> shadow</em>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
