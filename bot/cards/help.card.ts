import type { TabLinks } from '../tab-links';
import { card, compact, heading, line, openInTab, clip, plain } from './card-kit';
import type { AdaptiveCard, FactSet } from './card-types';

/** What the help card shows: the commands, and why it appeared when the text was not understood. */
export interface HelpView {
  /** The text the person sent when it was not a command, else null. */
  unrecognised: string | null;
  /** Admins also see `/subscribe`. */
  isAdmin: boolean;
}

/** The commands card (`/help`, and the answer to anything the bot does not understand). */
export function buildHelpCard(view: HelpView, links: TabLinks): AdaptiveCard {
  const facts: FactSet['facts'] = [
    { title: '/health', value: 'Portfolio summary: projects by RAG and the worst ones' },
    {
      title: '/health <project>',
      value: 'One project by name or id: score, drivers, trend, escalations',
    },
    { title: '/report', value: 'The weekly control report now' },
    {
      title: '/renewals [days]',
      value: 'Contracts renewing within the window (default 90 days): readiness, stage, owner',
    },
    {
      title: '/renewal <client or contract>',
      value: "One contract's renewal card: log the checkpoint, request a concession, answer uplift",
    },
    { title: '/gate <project>', value: 'Request a stage gate: the evidence pack form' },
    { title: '/gates', value: 'Stage gates waiting for you (to decide, or that you requested)' },
  ];
  facts.push({
    title: '/subscribe <stream> [client]',
    value: view.isAdmin
      ? 'Route escalations, gates, renewals, reports or incidents to this channel (optionally one client)'
      : 'Admins only: route a notification stream to this channel',
  });
  facts.push({ title: '/help', value: 'This list' });
  const body = compact([
    heading('Control Tower'),
    view.unrecognised !== null
      ? line(
          `I didn't understand "${plain(clip(view.unrecognised, 80))}". Here is what I can do:`,
          {
            isSubtle: true,
          },
        )
      : line('Here is what I can do:', { isSubtle: true }),
    { type: 'FactSet', facts } satisfies FactSet,
    line('In a channel, @mention me first, e.g. "@Control Tower /health".', {
      isSubtle: true,
      size: 'small',
    }),
  ]);
  return card(
    body,
    [openInTab(links.portfolio())],
    'Control Tower commands: /health, /report, /renewals, /renewal, /gate, /gates, /subscribe, /help',
  );
}
