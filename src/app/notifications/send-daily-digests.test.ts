import type { NotificationIntent } from '../ports/notifications.port';
import type { DigestLine } from './digest.port';
import { digestText, SendDailyDigests } from './send-daily-digests';

const line = (previewText: string): DigestLine => ({
  stream: 'renewals',
  previewText,
  link: { page: 'renewals' },
});

function setup(
  at: string,
  people: Record<string, { timeZone: string | null; lines: DigestLine[] }>,
) {
  const queued: NotificationIntent[] = [];
  const taken = new Set<string>();
  let pokes = 0;
  const digests = new SendDailyDigests({
    reads: {
      peopleWithWaitingItems: async () =>
        Object.keys(people).filter((aad) => people[aad]!.lines.length > 0),
      timeZoneOf: async (aad) => people[aad]?.timeZone ?? null,
    },
    uow: {
      transaction: (work) =>
        work({
          digestTaken: async (_aad, key) => taken.has(key),
          takeForDigest: async (aad, key) => {
            taken.add(key);
            const lines = people[aad]!.lines;
            people[aad]!.lines = [];
            return lines;
          },
          outbox: {
            enqueue: async (intent) => {
              queued.push(intent);
              return { status: 'queued', id: queued.length };
            },
          },
        }),
    },
    clock: { now: () => new Date(at) },
    tenantTimeZone: 'Europe/London',
    outboxChanged: { notify: () => (pokes += 1) },
  });
  return { digests, queued, pokes: () => pokes };
}

describe('SendDailyDigests', () => {
  test("queues one digest per person whose 08:00 has come, in their zone or the tenant's", async () => {
    const { digests, queued, pokes } = setup('2026-12-03T08:05:00Z', {
      'aad-london': {
        timeZone: null,
        lines: [line('Contoso flagged'), line('Uplift for Fabrikam')],
      },
      'aad-ny': { timeZone: 'America/New_York', lines: [line('Not yet: 03:05 there')] },
    });

    const run = await digests.run();

    expect(run).toEqual({
      sent: [{ aadObjectId: 'aad-london', localDate: '2026-12-03', items: 2 }],
    });
    expect(queued).toEqual([
      {
        dedupeKey: 'digest:aad-london:2026-12-03',
        kind: 'text',
        payload: {
          text: 'Your Control Tower digest: 2 open items\n\n- Contoso flagged\n\n- Uplift for Fabrikam',
        },
        target: {
          people: expect.objectContaining({
            activityType: 'dailyDigest',
            templateParameters: { count: '2' },
            audience: expect.objectContaining({ aadObjectIds: ['aad-london'] }),
            isDigest: true,
          }),
        },
      },
    ]);
    expect(pokes()).toBe(1);
  });

  test('nothing before 08:00 local time, and nothing to wake for', async () => {
    const { digests, queued, pokes } = setup('2026-12-03T07:59:00Z', {
      'aad-london': { timeZone: null, lines: [line('Contoso flagged')] },
    });

    expect(await digests.run()).toEqual({ sent: [] });
    expect(queued).toEqual([]);
    expect(pokes()).toBe(0);
  });

  test('a long digest lists twenty items and counts the rest', () => {
    const text = digestText(Array.from({ length: 23 }, (_, i) => line(`item ${i + 1}`)));

    expect(text.split('\n\n')).toHaveLength(22);
    expect(text).toContain('- item 20');
    expect(text).not.toContain('- item 21');
    expect(text.endsWith('…and 3 more in the tab (My notifications).')).toBe(true);
  });
});
