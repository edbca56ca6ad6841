/**
 * Where the tab runs: inside Teams (teams-js initialised, SSO, host theme) or standalone in a browser.
 * Outside Teams `app.initialize()` rejects at once on a top-level page but never settles inside a
 * non-Teams frame, so it races a timer and the tab falls back to standalone mode.
 */
import { app, authentication } from '@microsoft/teams-js';

/** The three Teams themes (Teams calls high contrast `contrast`). */
export type ThemeName = 'default' | 'dark' | 'contrast';

/** The host the tab found, with what it can do there. */
export interface TabHost {
  kind: 'teams' | 'standalone';
  theme: ThemeName;
  /** Teams deep-link context (`portfolio`, `project:12`, `escalation:…`), null outside Teams. */
  subEntityId: string | null;
  /** `content`, `settings` (configuration page) … in Teams; null outside. */
  frameContext: string | null;
  /** The Teams SSO token (Entra ID); null outside Teams. */
  ssoToken(): Promise<string | null>;
  /** Calls `handler` whenever the host's theme changes (Teams only). */
  onThemeChange(handler: (theme: ThemeName) => void): void;
  /** Milliseconds it took to decide. */
  decidedInMs: number;
}

/** How long to wait for Teams before running standalone (the issue asks for ≤ 3 s). */
export const TEAMS_WAIT_MS = 2500;

/** Maps a Teams theme name (or a `?theme=` value) to ours; anything unknown is the default theme. */
export function themeName(value: string | null | undefined): ThemeName {
  if (value === 'dark') return 'dark';
  if (value === 'contrast' || value === 'highContrast' || value === 'high-contrast')
    return 'contrast';
  return 'default';
}

/** Connects to Teams, or decides within `waitMs` that the tab runs standalone. */
export async function connectHost(
  search: URLSearchParams,
  waitMs = TEAMS_WAIT_MS,
): Promise<TabHost> {
  const started = performance.now();
  const outcome = await Promise.race([
    app.initialize().then(
      () => 'teams' as const,
      () => 'standalone' as const,
    ),
    new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), waitMs)),
  ]);
  const decidedInMs = Math.round(performance.now() - started);
  if (outcome !== 'teams') return standaloneHost(search, decidedInMs);

  const context = await app.getContext();
  app.notifySuccess();
  return {
    kind: 'teams',
    theme: themeName(context.app.theme),
    subEntityId: context.page.subPageId ?? null,
    frameContext: context.page.frameContext ?? null,
    ssoToken: () => authentication.getAuthToken(),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((t) => handler(themeName(t))),
    decidedInMs,
  };
}

function standaloneHost(search: URLSearchParams, decidedInMs: number): TabHost {
  return {
    kind: 'standalone',
    theme: themeName(search.get('theme')),
    subEntityId: null,
    frameContext: null,
    ssoToken: async () => null,
    onThemeChange: () => undefined,
    decidedInMs,
  };
}
