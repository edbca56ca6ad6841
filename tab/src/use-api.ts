/** A React hook that loads one API resource and exposes loading / error / data states. */
import { createContext, useCallback, useContext, useEffect, useState } from 'react';
import { ApiFailure, type ApiClient } from './api-client';

/** The signed-in API client, provided by the app shell. */
export const ApiContext = createContext<ApiClient | null>(null);

/** The API client of the current sign-in. */
export function useApiClient(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApiClient outside <ApiContext.Provider>');
  return client;
}

/** What a view renders while a resource loads. */
export type Loadable<T> =
  { state: 'loading' } | { state: 'error'; error: ApiFailure } | { state: 'ok'; data: T };

/** Loads `load(client)` whenever `key` changes; `reload()` loads it again. */
export function useResource<T>(
  key: string | null,
  load: (client: ApiClient) => Promise<T>,
): [Loadable<T>, () => void] {
  const client = useApiClient();
  const [state, setState] = useState<Loadable<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (key === null) return undefined;
    let live = true;
    setState({ state: 'loading' });
    load(client).then(
      (data) => live && setState({ state: 'ok', data }),
      (error: unknown) =>
        live &&
        setState({
          state: 'error',
          error: error instanceof ApiFailure ? error : new ApiFailure(0, 'CLIENT', String(error)),
        }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure each render: `key` names what it loads.
  }, [client, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return [state, reload];
}
