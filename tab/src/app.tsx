/**
 * The tab's shell: theme (Teams host or `?theme=`), sign-in (Teams SSO, or the marked demo sign-in
 * outside Teams), the personal tab's navigation, the channel tab's pinned view, and the page router.
 */
import {
  FluentProvider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Tab,
  TabList,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  type Theme,
} from '@fluentui/react-components';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { DemoUsersDto } from '../../src/api/dto';
import { ApiClient, ApiFailure, type ApiCredentials } from './api-client';
import { DemoSignIn, rememberedDemoUser } from './components/demo-sign-in';
import { Failed } from './components/states';
import type { TabHost, ThemeName } from './host';
import { hrefWithHostParams, NavigatorContext, useNavigator, type Navigator } from './navigation';
import { parsePin, parseRoute, routeFromSubEntity, type Pin, type TabRoute } from './routes';
import { MeContext, useLoadMe, useMe } from './me';
import { ApiContext } from './use-api';
import { ApprovalsView } from './views/approvals-view';
import { ConfigView } from './views/config-view';
import { ContractView } from './views/contract-view';
import { RenewalsView } from './views/renewals-view';
import { ExceptionsView } from './views/exceptions-view';
import { GovernanceView } from './views/governance-view';
import { KpisView } from './views/kpis-view';
import { PortfolioView } from './views/portfolio-view';
import { ProjectView } from './views/project-view';
import { ReportView } from './views/report-view';
import { NotificationsView } from './views/notifications-view';
import { SettingsView } from './views/settings-view';

const THEMES: Record<ThemeName, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

type NavView =
  | 'portfolio'
  | 'renewals'
  | 'approvals'
  | 'kpis'
  | 'governance'
  | 'report'
  | 'exceptions'
  | 'notifications'
  | 'settings';
const SECTIONS: { view: NavView; label: string; adminOnly?: boolean }[] = [
  { view: 'portfolio', label: 'Portfolio' },
  { view: 'renewals', label: 'Renewals' },
  { view: 'approvals', label: 'Approvals' },
  { view: 'kpis', label: 'KPIs' },
  { view: 'governance', label: 'Governance' },
  { view: 'report', label: 'Weekly report' },
  { view: 'exceptions', label: 'Exceptions' },
  { view: 'notifications', label: 'My notifications' },
  { view: 'settings', label: 'Settings', adminOnly: true },
];

/** Who the tab signs in as, once decided. */
type SignIn =
  | { state: 'deciding' }
  | { state: 'sso' }
  | { state: 'demo'; users: DemoUsersDto['items']; email: string }
  | { state: 'open-in-teams' }
  | { state: 'failed'; error: ApiFailure };

/** The whole tab for a host found by `connectHost`. */
export function App({ host }: { host: TabHost }) {
  const [theme, setTheme] = useState<ThemeName>(host.theme);
  useEffect(() => host.onThemeChange(setTheme), [host]);

  const [location, setLocation] = useState(() => ({
    pathname: window.location.pathname,
    search: window.location.search,
  }));
  useEffect(() => {
    const onPop = () =>
      setLocation({ pathname: window.location.pathname, search: window.location.search });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const params = useMemo(() => new URLSearchParams(location.search), [location.search]);

  const navigator = useMemo<Navigator>(() => {
    const href = (route: TabRoute) =>
      hrefWithHostParams(route, new URLSearchParams(window.location.search));
    return {
      href,
      navigate: (route) => {
        const next = href(route);
        window.history.pushState(null, '', next);
        const url = new URL(next, window.location.origin);
        setLocation({ pathname: url.pathname, search: url.search });
        window.scrollTo(0, 0);
      },
    };
  }, []);

  // A Teams deep link names its page in subEntityId; open that page once.
  useEffect(() => {
    const target = routeFromSubEntity(host.subEntityId);
    if (target && window.location.pathname === '/') {
      const next = hrefWithHostParams(target, new URLSearchParams(window.location.search));
      window.history.replaceState(null, '', next);
      const url = new URL(next, window.location.origin);
      setLocation({ pathname: url.pathname, search: url.search });
    }
  }, [host.subEntityId]);

  const signIn = useSignIn(host);
  const api = useMemo(() => {
    const credentials: ApiCredentials =
      signIn.state === 'sso'
        ? { kind: 'sso', token: host.ssoToken }
        : signIn.state === 'demo'
          ? { kind: 'demo', email: signIn.email }
          : { kind: 'none' };
    return new ApiClient(credentials);
  }, [signIn, host]);

  const me = useLoadMe(api, signIn.state === 'sso' || signIn.state === 'demo');
  const route = parseRoute(location.pathname, params);
  const pin = parsePin(params.get('pin'));

  return (
    <FluentProvider
      theme={THEMES[theme]}
      className="ct-root"
      data-testid="app-root"
      data-theme={theme}
      data-host={host.kind}
    >
      <NavigatorContext.Provider value={navigator}>
        <ApiContext.Provider value={api}>
          <MeContext.Provider value={me}>
            {signIn.state === 'demo' ? (
              <DemoSignIn users={signIn.users} email={signIn.email} onChange={signIn.choose} />
            ) : null}
            <Body signIn={signIn} route={route} pin={pin} host={host} />
          </MeContext.Provider>
        </ApiContext.Provider>
      </NavigatorContext.Provider>
    </FluentProvider>
  );
}

function Body({
  signIn,
  route,
  pin,
  host,
}: {
  signIn: SignIn;
  route: TabRoute;
  pin: Pin | null;
  host: TabHost;
}) {
  if (signIn.state === 'deciding')
    return (
      <main className="ct-main">
        <Spinner label="Signing in…" />
      </main>
    );
  if (signIn.state === 'failed')
    return (
      <main className="ct-main">
        <Failed error={signIn.error} />
      </main>
    );
  if (signIn.state === 'open-in-teams')
    return (
      <main className="ct-main">
        <MessageBar intent="info" data-testid="open-in-teams">
          <MessageBarBody>
            <MessageBarTitle>Open Control Tower in Microsoft Teams</MessageBarTitle>
            This tab signs you in with your Teams account. Open the Control Tower app in Teams to
            see your portfolio.
          </MessageBarBody>
        </MessageBar>
      </main>
    );
  if (route.view === 'config') return <ConfigView host={host} />;
  if (pin) return <PinnedBody pin={pin} route={route} />;
  return <PersonalBody route={route} escalationLink={host.subEntityId} />;
}

/** The personal tab: navigation plus the page. */
function PersonalBody({
  route,
  escalationLink,
}: {
  route: TabRoute;
  escalationLink: string | null;
}) {
  const me = useMe();
  const isAdmin = me?.roles.includes('admin') ?? false;
  const section = sectionOf(route);
  const nav = useNavigator();
  const navigate = (view: NavView) =>
    nav.navigate(view === 'portfolio' ? { view, clientId: null } : { view });
  const escalation = /^escalation:(.+)$/.exec(escalationLink ?? '')?.[1] ?? null;
  return (
    <>
      <header className="ct-header">
        <span className="ct-brand">Control Tower</span>
        {me ? (
          <span data-testid="signed-in-as">
            {me.user.name}
            {me.roles.length > 0 ? ` · ${me.roles.join(', ')}` : ' · no role'}
          </span>
        ) : null}
      </header>
      <nav className="ct-nav" aria-label="Sections">
        <TabList
          selectedValue={section}
          onTabSelect={(_e, d) => navigate(d.value as NavView)}
          size="small"
        >
          {SECTIONS.filter((s) => !s.adminOnly || isAdmin).map((s) => (
            <Tab key={s.view} value={s.view}>
              {s.label}
            </Tab>
          ))}
        </TabList>
      </nav>
      <main className="ct-main" id="main">
        {escalation && route.view === 'portfolio' ? (
          <MessageBar intent="info">
            <MessageBarBody>
              The link you followed names escalation {escalation}; open its project below to act on
              it.
            </MessageBarBody>
          </MessageBar>
        ) : null}
        <Page route={route} isAdmin={isAdmin} meKnown={me !== null} />
      </main>
    </>
  );
}

/** The channel tab pinned to one project, one client or the renewal pipeline: only that. */
function PinnedBody({ pin, route }: { pin: Pin; route: TabRoute }) {
  let content;
  if (pin.kind === 'project') {
    content = <ProjectView projectId={pin.id} escalationId={null} gateId={null} pinned />;
  } else if (pin.kind === 'client') {
    content =
      route.view === 'project' ? (
        <ProjectView
          projectId={route.projectId}
          escalationId={route.escalationId}
          gateId={route.gateId}
        />
      ) : (
        <PortfolioView initialClientId={pin.id} pinnedClientId={pin.id} />
      );
  } else {
    content =
      route.view === 'contract' ? <ContractView contractId={route.contractId} /> : <RenewalsView />;
  }
  return (
    <main className="ct-main" data-testid="pinned" data-pin={pin.kind}>
      {content}
    </main>
  );
}

function Page({
  route,
  isAdmin,
  meKnown,
}: {
  route: TabRoute;
  isAdmin: boolean;
  meKnown: boolean;
}) {
  switch (route.view) {
    case 'portfolio':
      return <PortfolioView initialClientId={route.clientId} />;
    case 'project':
      return (
        <ProjectView
          projectId={route.projectId}
          escalationId={route.escalationId}
          gateId={route.gateId}
        />
      );
    case 'renewals':
      return <RenewalsView />;
    case 'contract':
      return <ContractView contractId={route.contractId} />;
    case 'approvals':
      return <ApprovalsView />;
    case 'kpis':
      return <KpisView />;
    case 'governance':
      return <GovernanceView />;
    case 'report':
      return <ReportView />;
    case 'exceptions':
      return <ExceptionsView />;
    case 'notifications':
      return <NotificationsView />;
    case 'settings':
      return meKnown && !isAdmin ? (
        <MessageBar intent="warning">
          <MessageBarBody>Settings are for administrators only.</MessageBarBody>
        </MessageBar>
      ) : (
        <SettingsView />
      );
    default:
      return (
        <MessageBar intent="warning">
          <MessageBarBody>
            There is no page at {route.view === 'not-found' ? route.path : ''}.
          </MessageBarBody>
        </MessageBar>
      );
  }
}

function sectionOf(route: TabRoute): NavView {
  if (route.view === 'project') return 'portfolio';
  if (route.view === 'contract') return 'renewals';
  if (route.view === 'config' || route.view === 'not-found') return 'portfolio';
  return route.view;
}

/** Decides how to sign in: Teams SSO in Teams; outside Teams the demo sign-in when the server offers it. */
function useSignIn(host: TabHost): SignIn & { choose: (email: string) => void } {
  const [signIn, setSignIn] = useState<SignIn>(
    host.kind === 'teams' ? { state: 'sso' } : { state: 'deciding' },
  );
  useEffect(() => {
    if (host.kind === 'teams') return undefined;
    let live = true;
    fetch('/api/v1/demo/users', { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        if (!live) return;
        if (response.status === 404 || response.status === 403) {
          setSignIn({ state: 'open-in-teams' });
          return;
        }
        if (!response.ok) {
          setSignIn({
            state: 'failed',
            error: new ApiFailure(
              response.status,
              `HTTP_${response.status}`,
              'The demo sign-in failed.',
            ),
          });
          return;
        }
        const body = (await response.json()) as DemoUsersDto;
        const remembered = rememberedDemoUser();
        const email =
          body.items.find((u) => u.signInEmail === remembered)?.signInEmail ??
          body.items[0]?.signInEmail;
        if (!email) setSignIn({ state: 'open-in-teams' });
        else setSignIn({ state: 'demo', users: body.items, email });
      })
      .catch((error: unknown) => {
        if (live)
          setSignIn({
            state: 'failed',
            error: new ApiFailure(0, 'NETWORK', `The server did not answer (${String(error)}).`),
          });
      });
    return () => {
      live = false;
    };
  }, [host]);
  const choose = useCallback((email: string) => {
    setSignIn((current) => (current.state === 'demo' ? { ...current, email } : current));
  }, []);
  // One object per sign-in state: the API client, and every view's data, hang off its identity.
  return useMemo(() => ({ ...signIn, choose }), [signIn, choose]);
}
