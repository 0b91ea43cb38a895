import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { subscribeEvents, type EventHandlers } from '../api.ts';

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

/** `value`, once it has stopped changing for `ms` milliseconds. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return debounced;
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
