import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export type Filters<K extends string> = Record<K, string>;

/** A screen's filters, kept in the URL (links can be shared, the back button works): the names
 * a screen knows, each `""` when unset. Changing a filter starts again from the first page. */
export function useUrlFilters<K extends string>(
  names: readonly K[],
): [Filters<K>, (changes: Partial<Filters<K>>) => void] {
  const [params, setParams] = useSearchParams();
  const key = names.map((name) => `${name}=${params.get(name) ?? ''}`).join('&');
  const filters = useMemo(() => {
    const values = {} as Filters<K>;
    for (const name of names) values[name] = params.get(name) ?? '';
    return values;
    // the filters change exactly when their values in the URL do
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const setFilters = useCallback(
    (changes: Partial<Filters<K>>) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        for (const [name, value] of Object.entries<string | undefined>(changes)) {
          if (value) next.set(name, value);
          else next.delete(name);
        }
        next.delete('cursor');
        return next;
      });
    },
    [setParams],
  );
  return [filters, setFilters];
}

/** The page's cursor in the URL (`?cursor=…`), and moving to the next page or the first. */
export function useUrlCursor(): {
  cursor: string;
  next: (cursor: string) => void;
  first: () => void;
} {
  const [params, setParams] = useSearchParams();
  const cursor = params.get('cursor') ?? '';
  const move = useCallback(
    (value: string) => {
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set('cursor', value);
        else next.delete('cursor');
        return next;
      });
    },
    [setParams],
  );
  return { cursor, next: move, first: () => { move(''); } };
}
