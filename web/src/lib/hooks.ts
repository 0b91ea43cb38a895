import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { useLocation, useSearchParams, type SetURLSearchParams } from 'react-router-dom';
import { subscribeEvents, type EventHandlers } from '../api.ts';

/** One page of a cursor-paginated list, as every list operation of the API answers. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AsyncState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (update: T | ((prev: T | undefined) => T | undefined)) => void;
}

/**
 * Runs `load` when `deps` change (and on `reload`), aborting the previous run. Keeps the last
 * data while reloading so a refresh does not blank the page.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): AsyncState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [nonce, setNonce] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // the caller lists what `load` depends on in `deps`
  }, [...deps, nonce]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  return { data, error, loading, reload, setData };
}

export interface PagedState<T> {
  /** the first page and every page loaded after it with `loadMore` */
  items: T[];
  /** true while the first page loads (again) */
  loading: boolean;
  error: unknown;
  /** loads the first page again; pages loaded after it are dropped */
  reload: () => void;
  /** changes the loaded items in place (a live update) */
  setItems: (update: (items: T[]) => T[]) => void;
  /** true when the list has more items after those loaded */
  hasMore: boolean;
  loadMore: () => void;
  loadingMore: boolean;
  moreError: unknown;
}

/**
 * A cursor-paginated list: the first page when `deps` change (like `useAsync`), and the next
 * one appended on `loadMore`. A page still on its way when the list starts over (new `deps`,
 * `reload`, unmount) is aborted, so it never lands in the wrong list; an item already shown
 * (the list moved under the cursor) is not shown twice.
 */
export function usePagedList<T>(
  loadPage: (cursor: string | null, signal: AbortSignal) => Promise<CursorPage<T>>,
  idOf: (item: T) => string,
  deps: DependencyList,
): PagedState<T> {
  const more = useRef<AbortController | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const loadPageRef = useRef(loadPage);
  loadPageRef.current = loadPage;
  const idOfRef = useRef(idOf);
  idOfRef.current = idOf;

  const first = useAsync((signal) => {
    more.current?.abort();
    more.current = null;
    setLoadingMore(false);
    setMoreError(null);
    return loadPageRef.current(null, signal);
  }, deps);
  useEffect(() => () => more.current?.abort(), []);

  const { data, setData } = first;
  const nextCursor = data?.nextCursor ?? null;
  const loadMore = useCallback(() => {
    if (!nextCursor || more.current) return;
    const controller = new AbortController();
    more.current = controller;
    setLoadingMore(true);
    setMoreError(null);
    const done = () => {
      more.current = null;
      setLoadingMore(false);
    };
    loadPageRef.current(nextCursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setData((shown) => {
          if (!shown) return shown;
          const ids = new Set(shown.items.map(idOfRef.current));
          const fresh = page.items.filter((item) => !ids.has(idOfRef.current(item)));
          return { items: [...shown.items, ...fresh], nextCursor: page.nextCursor };
        });
        done();
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setMoreError(err);
        done();
      },
    );
  }, [nextCursor, setData]);

  const setItems = useCallback(
    (update: (items: T[]) => T[]) => setData((shown) => shown && { ...shown, items: update(shown.items) }),
    [setData],
  );

  return {
    items: data?.items ?? [],
    loading: first.loading,
    error: first.error,
    reload: first.reload,
    setItems,
    hasMore: nextCursor !== null,
    loadMore,
    loadingMore,
    moreError,
  };
}

/** `value`, once it has stopped changing for `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/**
 * The page's query string, whose setter leaves the address alone once the browser has moved on to
 * another page: a navigation renders as a transition, so a debounced search that lands between a
 * click on a link and the next page would otherwise pull the user back to the list.
 */
export function usePageSearchParams(): [URLSearchParams, SetURLSearchParams] {
  const [params, setParams] = useSearchParams();
  const { pathname } = useLocation();
  const setHere = useCallback<SetURLSearchParams>(
    (next, options) => {
      if (window.location.pathname === pathname) setParams(next, options);
    },
    [pathname, setParams],
  );
  return [params, setHere];
}

export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Orderly` : 'Orderly';
  }, [title]);
}

/** Live events while the component is mounted; the handlers may change on every render. */
export function useEvents(handlers: EventHandlers, withOrders = false, enabled = true): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    return subscribeEvents(
      {
        stock: (e) => ref.current.stock?.(e),
        order: (e) => ref.current.order?.(e),
        open: () => ref.current.open?.(),
      },
      withOrders,
    );
  }, [withOrders, enabled]);
}

/** Calls `fn` at most once per `ms`, after the last call (trailing debounce). */
export function useDebouncedCallback(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => ref.current(), ms);
  }, [ms]);
}
