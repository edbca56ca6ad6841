/** In-app navigation: real links (so they work with the keyboard, middle-click and screen readers). */
import { Link } from '@fluentui/react-components';
import { createContext, useContext, type MouseEvent, type ReactNode } from 'react';
import { routePath, type TabRoute } from './routes';

/** Query parameters that say how the tab is hosted; every in-app link keeps them. */
export const HOST_PARAMS = ['inTeams', 'theme', 'pin'] as const;

/** Navigation provided by the app shell. */
export interface Navigator {
  navigate(route: TabRoute): void;
  href(route: TabRoute): string;
}

/** The shell's navigator. */
export const NavigatorContext = createContext<Navigator | null>(null);

/** The current navigator. */
export function useNavigator(): Navigator {
  const nav = useContext(NavigatorContext);
  if (!nav) throw new Error('useNavigator outside <NavigatorContext.Provider>');
  return nav;
}

/** A path plus the host parameters of the current URL. */
export function hrefWithHostParams(route: TabRoute, current: URLSearchParams): string {
  const path = routePath(route);
  const url = new URL(path, 'http://tab.invalid');
  for (const name of HOST_PARAMS) {
    const value = current.get(name);
    if (value !== null) url.searchParams.set(name, value);
  }
  return `${url.pathname}${url.search}`;
}

/** A link to a page of the tab. */
export function RouteLink({
  route,
  children,
  className,
}: {
  route: TabRoute;
  children: ReactNode;
  className?: string;
}) {
  const nav = useNavigator();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    nav.navigate(route);
  };
  return (
    <Link href={nav.href(route)} onClick={onClick} className={className}>
      {children}
    </Link>
  );
}
