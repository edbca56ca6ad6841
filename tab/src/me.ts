/** The signed-in user as the server resolved them (`GET /me`), shared by the shell and the views. */
import { createContext, useContext, useEffect, useState } from 'react';
import type { MeDto } from '../../src/api/dto';
import type { ApiClient } from './api-client';

/** The current user; null while loading or when `/me` failed. */
export const MeContext = createContext<MeDto | null>(null);

/** The current user (null while unknown). */
export function useMe(): MeDto | null {
  return useContext(MeContext);
}

/** Loads `/me` for an API client (re-loaded when the sign-in changes). */
export function useLoadMe(api: ApiClient, enabled: boolean): MeDto | null {
  const [me, setMe] = useState<MeDto | null>(null);
  useEffect(() => {
    if (!enabled) return undefined;
    let live = true;
    setMe(null);
    api.get<MeDto>('/me').then(
      (m) => live && setMe(m),
      () => live && setMe(null),
    );
    return () => {
      live = false;
    };
  }, [api, enabled]);
  return me;
}
