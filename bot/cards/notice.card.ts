import type { TabLinks } from '../tab-links';
import { card, clip, heading, line, openInTab } from './card-kit';
import type { AdaptiveCard } from './card-types';

/** A short message as a card: a confirmation, a refusal or a "not found". */
export interface NoticeView {
  tone: 'info' | 'success' | 'refused' | 'error';
  title: string;
  text: string;
}

/** A one-message card with a link to the tab. */
export function buildNoticeCard(view: NoticeView, links: TabLinks): AdaptiveCard {
  const color =
    view.tone === 'success'
      ? 'good'
      : view.tone === 'refused' || view.tone === 'error'
        ? 'attention'
        : 'default';
  return card(
    [heading(view.title), line(clip(view.text, 1_000), { color })],
    [openInTab(links.portfolio())],
    `${view.title}: ${view.text}`,
  );
}
