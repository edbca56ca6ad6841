import type { Actor } from '../delivery-views';
import type { AuditEntryInput } from '../ports/audit.port';
import type { DeliveryMode, PersonalStream } from '../../domain/notifications/personal-notices';
import { MyNotifications } from './my-notifications';

const casey: Actor = {
  aadObjectId: 'aad-casey',
  name: 'Casey Lead',
  email: 'casey@msp.example',
  roles: ['cs_lead'],
  haloAgentId: null,
};

function setup() {
  const choices: Record<PersonalStream, DeliveryMode> = {
    approvals: 'immediate',
    escalations: 'immediate',
    renewals: 'immediate',
    governance: 'immediate',
  };
  const zones = new Map<string, string | null>();
  const audit: AuditEntryInput[] = [];
  const mine = new MyNotifications({
    reads: {
      choices: async () => ({ ...choices }),
      timeZone: async (aad) => zones.get(aad) ?? null,
      sayHiLink: async () => null,
      waiting: async () => [],
    },
    uow: {
      transaction: (work) =>
        work({
          setChoice: async (_aad, stream, mode) => {
            if (choices[stream] === mode) return false;
            choices[stream] = mode;
            return true;
          },
          setTimeZone: async (aad, zone) => {
            zones.set(aad, zone);
            return true;
          },
          audit: {
            append: async (input) => {
              audit.push(input);
              return {} as never;
            },
            timeline: async () => [],
            timelineOf: async () => [],
          },
        }),
    },
    tenantTimeZone: 'Europe/London',
  });
  return { mine, audit };
}

describe('MyNotifications', () => {
  test('a person takes a stream as a digest: stored and audited, once', async () => {
    const { mine, audit } = setup();

    const first = await mine.change(casey, { kind: 'stream', stream: 'renewals', mode: 'digest' });
    await mine.change(casey, { kind: 'stream', stream: 'renewals', mode: 'digest' });

    expect(first.ok && first.view.streams).toContainEqual({ stream: 'renewals', mode: 'digest' });
    expect(audit).toEqual([
      {
        subjectType: 'person',
        subjectId: 'aad-casey',
        action: 'notifications.stream.chosen',
        actor: { aadObjectId: 'aad-casey', email: 'casey@msp.example', name: 'Casey Lead' },
        detail: { stream: 'renewals', mode: 'digest' },
      },
    ]);
  });

  test('refuses a zone that is not one, and someone without an Entra id', async () => {
    const { mine, audit } = setup();

    expect(await mine.change(casey, { kind: 'time-zone', timeZone: 'Nowhere/Land' })).toMatchObject(
      {
        ok: false,
        reason: 'invalid-input',
      },
    );
    expect(
      await mine.change({ ...casey, aadObjectId: null }, { kind: 'time-zone', timeZone: 'UTC' }),
    ).toMatchObject({ ok: false, reason: 'not-signed-in' });
    expect(await mine.read({ ...casey, aadObjectId: null })).toBeNull();
    expect(audit).toEqual([]);
  });

  test('sets the digest time zone, audited, and reads it back with the tenant default beside it', async () => {
    const { mine, audit } = setup();

    const result = await mine.change(casey, { kind: 'time-zone', timeZone: 'Asia/Singapore' });

    expect(result).toMatchObject({
      ok: true,
      view: { timeZone: 'Asia/Singapore', tenantTimeZone: 'Europe/London' },
    });
    expect(audit.map((a) => [a.action, a.detail])).toEqual([
      ['notifications.time-zone.set', { timeZone: 'Asia/Singapore' }],
    ]);
  });
});
