import type { TabLinks } from '../tab-links';
import { card, clip, heading, line, openInTab } from './card-kit';
import type { AdaptiveCard } from './card-types';

/** A short message as a card: a confirmation, a refusal or a "not found". */
export interface NoticeView {
  tone: 'info' | 'success' | 'refused' | 'error';
  title: string;
  text: string;
}

const REFUSALS = new WeakSet<AdaptiveCard>();

/**
 * Marks `card` as the answer to a refused action (the bot counts refusals per user and, past the
 * limit, answers 429 without running the action). Returns the card.
 */
export function markRefusal(card: AdaptiveCard): AdaptiveCard {
  REFUSALS.add(card);
  return card;
}

/** True when `card` answers a refused action. */
export function isRefusal(card: unknown): boolean {
  return typeof card === 'object' && card !== null && REFUSALS.has(card as AdaptiveCard);
}

/** A one-message card with a link to the tab. */
export function buildNoticeCard(view: NoticeView, links: TabLinks): AdaptiveCard {
  const built = noticeCard(view, links);
  return view.tone === 'refused' ? markRefusal(built) : built;
}

function noticeCard(view: NoticeView, links: TabLinks): AdaptiveCard {
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
