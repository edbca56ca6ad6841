import { CardFactory } from 'botbuilder';
import type {
  ActivityRenderer,
  OutboundActivity,
  RenderResult,
} from '../src/app/ports/notifications.port';
import type { BotFeature, PayloadRenderer } from './bot-feature';
import type { AdaptiveCard } from './cards/card-types';

/** A message activity carrying one Adaptive Card. */
export function cardActivity(card: AdaptiveCard, summary: string): OutboundActivity {
  const attachment = CardFactory.adaptiveCard(card);
  return {
    type: 'message',
    summary,
    attachments: [{ contentType: attachment.contentType, content: attachment.content }],
  };
}

/** Renders outbox rows into activities with the renderer of the feature that declares the kind. */
export class CardActivityRenderer implements ActivityRenderer {
  private readonly renderers = new Map<string, PayloadRenderer>();

  constructor(features: readonly BotFeature[]) {
    for (const feature of features) {
      for (const [kind, renderer] of Object.entries(feature.renderers)) {
        if (this.renderers.has(kind)) throw new Error(`two bot features render "${kind}"`);
        this.renderers.set(kind, renderer);
      }
    }
  }

  render(kind: string, payload: unknown): RenderResult {
    if (typeof payload !== 'object' || payload === null)
      return { ok: false, reason: 'payload is not an object' };
    const renderer = this.renderers.get(kind);
    if (!renderer) return { ok: false, reason: `unknown kind ${kind}` };
    const rendered = renderer(payload);
    const mention = mentionOf(payload);
    return rendered.ok && mention !== null
      ? { ok: true, activity: withMention(rendered.activity, mention) }
      : rendered;
  }
}

/** The person a channel post @mentions (the outbox puts the item's owner in `payload.mention`). */
function mentionOf(payload: object): { aadObjectId: string; name: string } | null {
  const mention = (payload as { mention?: unknown }).mention;
  if (typeof mention !== 'object' || mention === null) return null;
  const { aadObjectId, name } = mention as { aadObjectId?: unknown; name?: unknown };
  if (typeof aadObjectId !== 'string' || aadObjectId === '' || typeof name !== 'string')
    return null;
  return { aadObjectId, name: name.replace(/[<>]/g, '').trim() || 'owner' };
}

/** Adds the `<at>` text and the mention entity Teams needs to notify the person. */
function withMention(
  activity: OutboundActivity,
  mention: { aadObjectId: string; name: string },
): OutboundActivity {
  const at = `<at>${mention.name}</at>`;
  return {
    ...activity,
    text: `${at} ${activity.text ?? 'this one is yours.'}`,
    entities: [
      ...(activity.entities ?? []),
      { type: 'mention', text: at, mentioned: { id: mention.aadObjectId, name: mention.name } },
    ],
  };
}
