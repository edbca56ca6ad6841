/** The states every view shares: loading, failed, not available yet, empty. */
import {
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from '@fluentui/react-components';
import type { ReactNode } from 'react';
import type { ApiFailure } from '../api-client';
import type { Loadable } from '../use-api';

/** A polite loading indicator. */
export function Loading({ what }: { what: string }) {
  return <Spinner size="small" label={`Loading ${what}…`} role="status" />;
}

/** An error from the API, in words, with a retry. */
export function Failed({ error, retry }: { error: ApiFailure; retry?: () => void }) {
  const title =
    error.status === 403
      ? 'You do not have access to this'
      : error.status === 401
        ? 'You are not signed in'
        : error.status === 404
          ? 'Not found'
          : 'Something went wrong';
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {error.message} {error.code ? <code>({error.code})</code> : null}{' '}
        {retry ? (
          <Button size="small" onClick={retry}>
            Try again
          </Button>
        ) : null}
      </MessageBarBody>
    </MessageBar>
  );
}

/** A part of the product whose server side is not deployed yet: said plainly, no placeholder data. */
export function NotAvailableYet({ feature }: { feature: string }) {
  return (
    <MessageBar intent="info" data-testid="not-available">
      <MessageBarBody>
        <MessageBarTitle>{feature} is not available yet</MessageBarTitle>
        This server does not provide it yet. Nothing is shown rather than sample data.
      </MessageBarBody>
    </MessageBar>
  );
}

/** Renders a Loadable: spinner, error (or "not available yet" when the route is missing), or data. */
export function LoadableView<T>({
  value,
  what,
  retry,
  missingRouteMeans,
  children,
}: {
  value: Loadable<T>;
  what: string;
  retry?: () => void;
  /** When set, a 404 from the server means this feature is not deployed yet. */
  missingRouteMeans?: string;
  children: (data: T) => ReactNode;
}) {
  if (value.state === 'loading') return <Loading what={what} />;
  if (value.state === 'error') {
    if (missingRouteMeans && value.error.routeMissing)
      return <NotAvailableYet feature={missingRouteMeans} />;
    return <Failed error={value.error} retry={retry} />;
  }
  return <>{children(value.data)}</>;
}
