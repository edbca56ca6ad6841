/**
 * The tab's pages and their URLs. These paths are public: the bot's cards deep-link to them
 * (bot/tab-links.ts) and the channel tab's saved contentUrl carries `?pin=…`.
 */

/** A page of the tab. */
export type TabRoute =
  | { view: 'portfolio'; clientId: number | null }
  | { view: 'project'; projectId: number; escalationId: string | null; gateId: string | null }
  | { view: 'renewals' }
  | { view: 'contract'; contractId: number }
  | { view: 'approvals' }
  | { view: 'kpis' }
  | { view: 'governance' }
  | { view: 'report' }
  | { view: 'exceptions' }
  | { view: 'settings' }
  | { view: 'notifications' }
  | { view: 'config' }
  | { view: 'not-found'; path: string };

/** What a channel tab pins (`?pin=project:12`, `?pin=client:5`, `?pin=renewals`). */
export type Pin =
  { kind: 'project'; id: number } | { kind: 'client'; id: number } | { kind: 'renewals' };

/** Parses `?pin=`; null when absent or malformed. */
export function parsePin(value: string | null): Pin | null {
  if (value === null) return null;
  if (value === 'renewals') return { kind: 'renewals' };
  const match = /^(project|client):(\d+)$/.exec(value);
  if (!match) return null;
  return { kind: match[1] as 'project' | 'client', id: Number(match[2]) };
}

/** The `?pin=` value for a pin. */
export function pinParam(pin: Pin): string {
  return pin.kind === 'renewals' ? 'renewals' : `${pin.kind}:${pin.id}`;
}

/** Reads a page from a path and query string. */
export function parseRoute(pathname: string, search: URLSearchParams): TabRoute {
  const path = pathname.replace(/\/+$/, '') || '/';
  const id = (pattern: RegExp): number | null => {
    const m = pattern.exec(path);
    return m ? Number(m[1]) : null;
  };
  const projectId = id(/^\/projects\/(\d+)$/);
  if (projectId !== null)
    return {
      view: 'project',
      projectId,
      escalationId: search.get('escalation'),
      gateId: search.get('gate'),
    };
  const contractId = id(/^\/contracts\/(\d+)$/);
  if (contractId !== null) return { view: 'contract', contractId };
  switch (path) {
    case '/':
    case '/portfolio': {
      const client = search.get('client');
      return {
        view: 'portfolio',
        clientId: client && /^\d+$/.test(client) ? Number(client) : null,
      };
    }
    case '/renewals':
      return { view: 'renewals' };
    case '/approvals':
      return { view: 'approvals' };
    case '/kpis':
      return { view: 'kpis' };
    case '/governance':
      return { view: 'governance' };
    case '/report':
      return { view: 'report' };
    case '/exceptions':
      return { view: 'exceptions' };
    case '/settings':
      return { view: 'settings' };
    case '/notifications':
      return { view: 'notifications' };
    case '/config':
      return { view: 'config' };
    default:
      return { view: 'not-found', path };
  }
}

/** The path of a page (without the query parameters that say how the tab is hosted). */
export function routePath(route: TabRoute): string {
  switch (route.view) {
    case 'portfolio':
      return route.clientId === null ? '/' : `/?client=${route.clientId}`;
    case 'project': {
      const q = route.escalationId
        ? `?escalation=${encodeURIComponent(route.escalationId)}`
        : route.gateId
          ? `?gate=${encodeURIComponent(route.gateId)}`
          : '';
      return `/projects/${route.projectId}${q}`;
    }
    case 'contract':
      return `/contracts/${route.contractId}`;
    case 'not-found':
      return route.path;
    default:
      return `/${route.view}`;
  }
}

/** The page a Teams deep link's `subEntityId` names (bot/tab-links.ts), or null for the default. */
export function routeFromSubEntity(subEntityId: string | null): TabRoute | null {
  if (!subEntityId || subEntityId === 'portfolio') return null;
  const project = /^project:(\d+)$/.exec(subEntityId);
  if (project)
    return { view: 'project', projectId: Number(project[1]), escalationId: null, gateId: null };
  const contract = /^contract:(\d+)$/.exec(subEntityId);
  if (contract) return { view: 'contract', contractId: Number(contract[1]) };
  if (subEntityId === 'report') return { view: 'report' };
  if (subEntityId === 'settings') return { view: 'settings' };
  if (subEntityId === 'renewals') return { view: 'renewals' };
  if (subEntityId === 'approvals') return { view: 'approvals' };
  if (/^governance:\d{4}-\d{2}$/.test(subEntityId)) return { view: 'governance' };
  if (subEntityId === 'notifications') return { view: 'notifications' };
  return null;
}
