import type { BotFeature } from './bot-feature';
import { CardActivityRenderer } from './card-activity-renderer';

const feature = (renderers: BotFeature['renderers']): BotFeature => ({
  commands: [],
  cardActions: {},
  renderers,
});

describe('CardActivityRenderer', () => {
  const renderer = new CardActivityRenderer([
    feature({
      text: (payload) => ({
        ok: true,
        activity: { type: 'message', text: String((payload as { text: unknown }).text) },
      }),
    }),
    feature({ other: () => ({ ok: false, reason: 'other payload without other' }) }),
  ]);

  test('renders a kind with the renderer of the feature that declares it', () => {
    expect(renderer.render('text', { text: 'hello' })).toEqual({
      ok: true,
      activity: { type: 'message', text: 'hello' },
    });
    expect(renderer.render('other', {})).toEqual({
      ok: false,
      reason: 'other payload without other',
    });
  });

  test('refuses an unknown kind and a payload that is not an object', () => {
    expect(renderer.render('gossip', {})).toEqual({ ok: false, reason: 'unknown kind gossip' });
    expect(renderer.render('text', null)).toEqual({
      ok: false,
      reason: 'payload is not an object',
    });
  });

  test('refuses two features rendering the same kind', () => {
    const twice = () =>
      new CardActivityRenderer([
        feature({ text: () => ({ ok: false, reason: 'a' }) }),
        feature({ text: () => ({ ok: false, reason: 'b' }) }),
      ]);

    expect(twice).toThrow('two bot features render "text"');
  });
});

describe('CardActivityRenderer mentions', () => {
  const renderer = new CardActivityRenderer([
    feature({
      card: () => ({ ok: true, activity: { type: 'message', summary: 'Escalation' } }),
    }),
  ]);

  test('@mentions the owner a channel post names, with the <at> text and the mention entity', () => {
    const result = renderer.render('card', {
      mention: { aadObjectId: 'aad-pat', name: 'Pat <Lee>' },
    });

    expect(result).toEqual({
      ok: true,
      activity: {
        type: 'message',
        summary: 'Escalation',
        text: '<at>Pat Lee</at> this one is yours.',
        entities: [
          {
            type: 'mention',
            text: '<at>Pat Lee</at>',
            mentioned: { id: 'aad-pat', name: 'Pat Lee' },
          },
        ],
      },
    });
  });

  test('mentions nobody when the payload names no person', () => {
    expect(renderer.render('card', { mention: { name: 'no id' } })).toEqual({
      ok: true,
      activity: { type: 'message', summary: 'Escalation' },
    });
  });
});
