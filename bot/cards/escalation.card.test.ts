import { escalationView, hugeEscalationView, testLinks } from '../../tests/bot/view-fixtures';
import type { EscalationView } from '../../src/app/delivery-views';
import { CARD_BYTE_BUDGET, cardBytes, SharedCards } from './card-kit';
import type { AdaptiveCard } from './card-types';
import { buildEscalationCard, escalationCard, type EscalationNotice } from './escalation.card';

const links = testLinks;

const acknowledged: EscalationNotice = {
  tone: 'success',
  text: 'Acknowledged by Megan Bowen at 2025-03-14 09:12 UTC',
};
const refused: EscalationNotice = { tone: 'refused', text: 'Nothing to do: already acknowledged.' };

/** How many people the card offers as mitigation owner (the list a card cuts to fit). */
function agentChoices(card: AdaptiveCard): number {
  const json = JSON.stringify(card);
  return (json.match(/"value":"\d+"/g) ?? []).length;
}

describe('the escalation card, built once per view and shared', () => {
  const views: [string, EscalationView][] = [
    ['open', escalationView()],
    ['acknowledged', escalationView({ state: 'acknowledged' })],
    ['closed', escalationView({ state: 'false-positive' })],
    ['no agents', escalationView({ assignableAgents: [] })],
    ['huge', hugeEscalationView()],
  ];
  const notices: [string, EscalationNotice | null][] = [
    ['no notice', null],
    ['a success', acknowledged],
    ['a refusal', refused],
    ['a huge notice', { tone: 'refused', text: 'x'.repeat(20_000) }],
  ];

  test.each(
    views.flatMap(([v, view]) => notices.map(([n, notice]) => [v, n, view, notice] as const)),
  )(
    '%s view with %s: the same card as one built afresh, on the first click and the next',
    (_v, _n, view, notice) => {
      const fresh = escalationCard(view, links, notice);
      // A copy of the view, as the next click reads it from the database.
      const again = structuredClone(view);

      expect(buildEscalationCard(view, links, notice)).toEqual(fresh);
      expect(buildEscalationCard(again, links, notice)).toEqual(fresh);
      expect(cardBytes(buildEscalationCard(again, links, notice))).toBeLessThanOrEqual(
        CARD_BYTE_BUDGET,
      );
    },
  );

  test('a notice that would push the shared card past the budget gets the card cut to fit, as built afresh', () => {
    // Names and details are clipped, so only characters JSON escapes six bytes each (control
    // characters) bring an escalation card near the budget: fifty agents whose names carry just
    // enough of them that the card with all fifty fits without the notice and not with it.
    const control = (n: number) => '\u0001'.repeat(n);
    const withAgents = (escaped: number) =>
      escalationView({
        details: Array.from({ length: 8 }, () => control(190)),
        assignableAgents: Array.from({ length: 50 }, (_, i) => ({
          id: 100 + i,
          name: `${String(i).padStart(2, '0')} ${control(escaped)}`,
        })),
      });
    const notice: EscalationNotice = { tone: 'success', text: 'y'.repeat(380) };
    let length = 0;
    while (length < 57 && agentChoices(escalationCard(withAgents(length + 1), links, null)) === 50)
      length += 1;
    const view = withAgents(length);
    const shared = escalationCard(view, links, null);
    const fresh = escalationCard(view, links, notice);
    // The case is the one meant: all 50 offered without the notice, fewer with it.
    expect(agentChoices(shared)).toBe(50);
    expect(agentChoices(fresh)).toBeLessThan(50);

    expect(buildEscalationCard(view, links, null)).toEqual(shared);
    expect(buildEscalationCard(view, links, notice)).toEqual(fresh);
    expect(cardBytes(buildEscalationCard(view, links, notice))).toBeLessThanOrEqual(
      CARD_BYTE_BUDGET,
    );
  });

  test('a changed view gets its own card, never the one built before', () => {
    const open = buildEscalationCard(escalationView({ id: 'esc-changes' }), links);
    const later = buildEscalationCard(
      escalationView({ id: 'esc-changes', state: 'acknowledged' }),
      links,
    );

    expect(JSON.stringify(open)).toContain('escalation.acknowledge');
    expect(JSON.stringify(later)).not.toContain('escalation.acknowledge');
    expect(later).toEqual(
      escalationCard(escalationView({ id: 'esc-changes', state: 'acknowledged' }), links, null),
    );
  });

  test('the shared card cannot be changed by whoever it is handed to', () => {
    const card = buildEscalationCard(escalationView({ id: 'esc-frozen' }), links);

    expect(() => {
      (card.body as unknown[]).push({ type: 'TextBlock', text: 'added' });
    }).toThrow(TypeError);
    expect(() => {
      (card as { version: string }).version = '1.0';
    }).toThrow(TypeError);
    expect(buildEscalationCard(escalationView({ id: 'esc-frozen' }), links)).toEqual(
      escalationCard(escalationView({ id: 'esc-frozen' }), links, null),
    );
  });
});

describe('shared cards', () => {
  const cardFor = (text: string): AdaptiveCard => ({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', text, wrap: true }],
  });

  test('an input seen before is not built again; its size is the card as posted', () => {
    const shared = new SharedCards(4);
    let builds = 0;
    const build = (text: string) => () => {
      builds += 1;
      return cardFor(text);
    };

    const first = shared.get({ id: 1 }, build('one'));
    const second = shared.get({ id: 1 }, build('one'));

    expect(builds).toBe(1);
    expect(second).toBe(first);
    expect(first.bytes).toBe(Buffer.byteLength(JSON.stringify(cardFor('one'))));
  });

  test('holds at most its capacity, the least recently used going first', () => {
    const shared = new SharedCards(2);
    const built: number[] = [];
    const get = (id: number) =>
      shared.get({ id }, () => {
        built.push(id);
        return cardFor(String(id));
      });

    get(1);
    get(2);
    get(1); // 1 is now the most recently used
    get(3); // evicts 2
    get(1);
    get(2); // built again; evicts 3

    expect(built).toEqual([1, 2, 3, 2]);
    expect(shared.size).toBe(2);
  });
});
