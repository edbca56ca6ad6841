import type { Rag } from '../../src/app/delivery-views';
import type {
  AdaptiveCard,
  CardAction,
  CardColor,
  CardElement,
  ExecuteAction,
  OpenUrlAction,
  ShowCardAction,
  SubmitAction,
  TextBlock,
} from './card-types';
import type { CardVerb } from './card-verbs';
import { deepFreeze, jsonOf } from '../../src/shared/deep-freeze';

/** Teams refuses channel posts over 28 KB; the card keeps 2 KB for the activity around it. */
export const CARD_BYTE_BUDGET = 26 * 1024;

/** Size of a card as posted (UTF-8 JSON). */
export function cardBytes(card: AdaptiveCard): number {
  return jsonBytes(card);
}

/** Characters JSON.stringify escapes, and lone-surrogate candidates (escaped as \uXXXX). */
const JSON_ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT_ESCAPES = new Set([0x22, 0x5c, 0x08, 0x0c, 0x0a, 0x0d, 0x09]);

/**
 * The UTF-8 length of `JSON.stringify(value)`, counted without building it: every card is measured
 * against the budget on every click, and the string would be thrown away at once.
 */
export function jsonBytes(value: unknown): number {
  if (value === null) return 4;
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function') return jsonBytes(json.call(value));
      if (Array.isArray(value)) {
        let bytes = 2 + Math.max(0, value.length - 1);
        for (const item of value) bytes += storable(item) ? jsonBytes(item) : 4;
        return bytes;
      }
      let bytes = 2;
      let members = 0;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const item = (value as Record<string, unknown>)[key];
        if (!storable(item)) continue;
        bytes += stringBytes(key) + 1 + jsonBytes(item);
        members += 1;
      }
      return bytes + Math.max(0, members - 1);
    }
    default:
      return 0;
  }
}

/** Whether JSON.stringify writes a member with this value (it skips undefined, functions, symbols). */
function storable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function stringBytes(text: string): number {
  const bytes = 2 + Buffer.byteLength(text, 'utf8');
  if (!JSON_ESCAPED.test(text)) return bytes;
  let extra = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (SHORT_ESCAPES.has(code)) extra += 1;
    else if (code < 0x20) extra += 5;
    else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i += 1;
      // A lone surrogate: \uXXXX (6 bytes) where UTF-8 counted the replacement character (3).
      else extra += 3;
    }
  }
  return bytes + extra;
}

/** Runs of whitespace other than one space, or whitespace at either end. */
const UNCLEAN_SPACE = /\s\s|[^\S ]|^\s|\s$/;

/** Shortens `text` to at most `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max && !UNCLEAN_SPACE.test(text)) return text;
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  return `${clean.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}

const MARKDOWN_CHARACTERS = /[\\*_[\]()#`>~-]/;

/** Escapes the characters Adaptive Card markdown would interpret in user data. */
export function plain(text: string): string {
  if (!MARKDOWN_CHARACTERS.test(text)) return text;
  return text.replace(/([\\*_[\]()#`>~-])/g, '\\$1');
}

/** A top-level 1.5 card. */
export function card(
  body: CardElement[],
  actions: CardAction[],
  fallbackText: string,
): AdaptiveCard {
  const result: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    fallbackText: clip(fallbackText, 300),
  };
  if (actions.length > 0) result.actions = actions;
  return result;
}

/**
 * Builds the card with the most detail that fits the byte budget: tries each list length in
 * `levels` (largest first) and returns the first that fits, else the smallest.
 */
export function fitToBudget(
  levels: readonly number[],
  build: (maxItems: number) => AdaptiveCard,
): AdaptiveCard {
  let last: AdaptiveCard | null = null;
  for (const level of levels) {
    last = build(level);
    if (cardBytes(last) <= CARD_BYTE_BUDGET) return last;
  }
  return last ?? build(0);
}

export function heading(text: string): TextBlock {
  return {
    type: 'TextBlock',
    text: clip(text, 120),
    size: 'large',
    weight: 'bolder',
    wrap: true,
    style: 'heading',
  };
}

export function line(text: string, extra: Partial<TextBlock> = {}): TextBlock {
  return { type: 'TextBlock', text, wrap: true, ...extra };
}

/** "and N more …" when a list was cut. */
export function moreLine(hidden: number, noun: string): TextBlock | null {
  if (hidden <= 0) return null;
  return line(`and ${hidden} more ${noun}`, { isSubtle: true, size: 'small' });
}

/** Removes nulls from a list of elements. */
export function compact<T>(items: readonly (T | null | undefined | false)[]): T[] {
  return items.filter((item): item is T => item !== null && item !== undefined && item !== false);
}

/** Universal Action with the Action.Submit fallback old clients use. */
export function executeAction(
  title: string,
  verb: CardVerb,
  data: Record<string, string | number | boolean | null>,
  style?: 'positive' | 'destructive',
): ExecuteAction {
  const fallback: SubmitAction = { type: 'Action.Submit', title, data: { ...data, verb } };
  const action: ExecuteAction = { type: 'Action.Execute', title, verb, data, fallback };
  if (style) {
    action.style = style;
    fallback.style = style;
  }
  return action;
}

/** The deep link to the tab (every actionable card carries one: Action.Execute is unreliable on mobile). */
export function openInTab(url: string, title = 'Open in Control Tower'): OpenUrlAction {
  return { type: 'Action.OpenUrl', title, url };
}

export function ragColor(rag: Rag): CardColor {
  return rag === 'green'
    ? 'good'
    : rag === 'amber'
      ? 'warning'
      : rag === 'red'
        ? 'attention'
        : 'default';
}

/** Words for a RAG status (never "green" when unknown). */
export function ragLabel(rag: Rag): string {
  return rag === 'unknown' ? 'Unknown' : rag[0]!.toUpperCase() + rag.slice(1);
}

/** "72 (Amber)" or "— (Unknown)". */
export function scoreLabel(score: number | null, rag: Rag): string {
  return `${score === null ? '—' : Math.round(score)} (${ragLabel(rag)})`;
}

/** A sparkline of scores (0–100) in block characters, readable on every client; gaps for unknown days. */
export function sparkline(scores: readonly (number | null)[], width = 30): string {
  const blocks = '▁▂▃▄▅▆▇█';
  const recent = scores.slice(-width);
  return recent
    .map((score) =>
      score === null
        ? '·'
        : (blocks[Math.min(7, Math.max(0, Math.floor((score / 100) * 8)))] ?? '·'),
    )
    .join('');
}

/** "2025-03-01 14:05 UTC" from an ISO timestamp (cards are read in many time zones). */
export function when(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * The `refresh` of an approval card's posted version: the listed approvers' clients refresh it to
 * their own view automatically (Teams takes user MRIs, `8:orgid:<Entra object id>`, at most 60).
 */
export function approverRefresh(
  verb: string,
  data: Record<string, string | number | boolean | null>,
  approverAadObjectIds: readonly string[],
): NonNullable<AdaptiveCard['refresh']> {
  return {
    action: { type: 'Action.Execute', title: 'Refresh', verb, data },
    userIds: approverAadObjectIds
      .slice(0, 60)
      .map((id) => (id.startsWith('8:orgid:') ? id : `8:orgid:${id}`)),
  };
}

/** What a button that asks for a required comment before it acts (reject, request changes) needs. */
export interface CommentActionSpec {
  /** The button's title, also the title of the action that sends the comment. */
  title: string;
  verb: CardVerb;
  data: Record<string, string | number>;
  /** The id of the comment input: the handler reads the comment under it. */
  inputId: string;
  /** The question above the comment box ("Why is the gate rejected?"). */
  label: string;
  style?: 'positive' | 'destructive';
}

/** A button that opens a required comment box and sends it with `verb` (reject with comment). */
export function commentAction(spec: CommentActionSpec): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: spec.title,
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: spec.inputId,
          label: spec.label,
          isMultiline: true,
          maxLength: 1000,
          isRequired: true,
          errorMessage: 'A comment is required',
        },
      ],
      actions: [executeAction(spec.title, spec.verb, spec.data, spec.style)],
    },
  };
}

/** A card and its size as posted. */
export interface SizedCard {
  card: AdaptiveCard;
  bytes: number;
}

/**
 * The cards last built from each input, by the input's JSON, with their sizes: a card is a pure
 * function of what it shows, so many people clicking one card at once (SPEC §2.4: one decides, the
 * rest get the card as it now stands) or every copy of a card being refreshed share one build
 * instead of building and measuring the same card each time. Holds at most `capacity` cards, the
 * least recently used going first; the cards are frozen, as callers share them.
 */
export class SharedCards {
  private readonly cards = new Map<string, SizedCard>();

  constructor(private readonly capacity = 64) {}

  /**
   * The card built from `input` (by its JSON; a view frozen with `deepFreeze` is serialised once,
   * not on every click), built by `build` when not held.
   */
  get(input: unknown, build: () => AdaptiveCard): SizedCard {
    const key = jsonOf(input);
    const held = this.cards.get(key);
    if (held !== undefined) {
      // Most recently used last: the Map keeps insertion order.
      this.cards.delete(key);
      this.cards.set(key, held);
      return held;
    }
    const card = build();
    const sized = { card: deepFreeze(card), bytes: cardBytes(card) };
    this.cards.set(key, sized);
    if (this.cards.size > this.capacity) this.cards.delete(this.cards.keys().next().value!);
    return sized;
  }

  /** How many cards are held. */
  get size(): number {
    return this.cards.size;
  }
}

/** A banner on top of a card answering a click: what just happened, or why it was refused. */
export interface CardNotice {
  tone: 'success' | 'refused';
  text: string;
}

/** The notice as the card's first element. */
export function noticeElement(notice: CardNotice): CardElement {
  return {
    type: 'Container',
    style: notice.tone === 'success' ? 'good' : 'attention',
    items: [line(clip(notice.text, 400), { weight: 'bolder' })],
  };
}

/**
 * The card `build` makes for `input` (everything it shows but the notice), shared through `cards`,
 * with `notice` on top: the notice names who clicked, so it goes on after. When the notice would
 * push the shared card past the byte budget, the card is built afresh with it, its lists cut to make
 * room: the same card as `build(notice)`, which puts the notice first and fits to the budget.
 */
export function sharedWithNotice(
  cards: SharedCards,
  input: unknown,
  notice: CardNotice | null,
  build: (notice: CardNotice | null) => AdaptiveCard,
): AdaptiveCard {
  const shared = cards.get(input, () => build(null));
  if (notice === null) return shared.card;
  const first = noticeElement(notice);
  const body = shared.card.body;
  const bytes = shared.bytes + jsonBytes(first) + (body.length > 0 ? 1 : 0);
  return bytes <= CARD_BYTE_BUDGET ? { ...shared.card, body: [first, ...body] } : build(notice);
}
