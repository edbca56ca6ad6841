import {
  ACTIVITY_TYPES,
  churnFlagNotice,
  checkpointMissedNotice,
  concessionPendingNotice,
  dailyDigestNotice,
  escalationOpenedNotices,
  escalationReEscalatedNotice,
  gatePendingNotice,
  governanceReviewNotice,
  templatePlaceholders,
  upliftProposedNotice,
  type PersonalNotice,
} from './personal-notices';

const escalation = {
  escalationId: 'e-1',
  projectId: 42,
  projectName: 'Apollo',
  cause: 'Burn 1.32 vs ≤ 1.10',
  ownerAgentId: 7,
};
const contract = { contractId: 9, clientName: 'Contoso', accountManagerAgentId: 30 };

const EVERY_NOTICE: Array<[string, PersonalNotice]> = [
  [
    'gate',
    gatePendingNotice({
      gateId: 'g-1',
      projectId: 42,
      projectName: 'Apollo',
      milestoneName: 'Go-live',
      eligibleApproverAadObjectIds: ['a'],
    }),
  ],
  [
    'concession',
    concessionPendingNotice({
      contractId: 9,
      clientName: 'Contoso',
      discountPct: 12,
      eligibleApproverAadObjectIds: ['b'],
    }),
  ],
  ...escalationOpenedNotices({
    ...escalation,
    incidentCommander: true,
    incidentCommanderAgentId: null,
  }).map((n) => ['escalation opened', n] as [string, PersonalNotice]),
  ['re-escalation', escalationReEscalatedNotice(escalation)],
  ['churn', churnFlagNotice({ ...contract, cause: 'x'.repeat(400) })],
  ['checkpoint', checkpointMissedNotice({ ...contract, stage: '30' })],
  ['uplift', upliftProposedNotice({ ...contract, summary: 'overrun' })],
  ['governance', governanceReviewNotice({ month: '2026-11' })],
  ['digest', dailyDigestNotice({ aadObjectId: 'c', count: 3 })],
];

describe('personal notices', () => {
  test.each(EVERY_NOTICE)(
    "%s: its parameters are exactly its activity type's placeholders, its preview fits Graph",
    (_, notice) => {
      const placeholders = templatePlaceholders(ACTIVITY_TYPES[notice.activityType].templateText);
      expect(Object.keys(notice.templateParameters).sort()).toEqual([...placeholders].sort());
      expect(notice.previewText.length).toBeLessThanOrEqual(150);
      expect(notice.previewText).not.toMatch(/[{}]/);
    },
  );

  test('every declared template text fits the manifest (128 characters)', () => {
    for (const type of Object.values(ACTIVITY_TYPES)) {
      expect(type.templateText.length).toBeLessThanOrEqual(128);
      expect(type.description.length).toBeLessThanOrEqual(128);
    }
  });

  test('high severity: the incident commander first, the owner after, never both to one person', () => {
    const [commander, owner] = escalationOpenedNotices({
      ...escalation,
      incidentCommander: true,
      incidentCommanderAgentId: 20,
    });

    expect(commander).toMatchObject({
      activityType: 'incidentCommand',
      audience: { agentIds: [20] },
    });
    expect(owner).toMatchObject({
      activityType: 'escalationOwner',
      audience: { agentIds: [7], exceptAgentIds: [20] },
    });
  });

  test('an ordinary escalation tells only its owner', () => {
    expect(
      escalationOpenedNotices({
        ...escalation,
        incidentCommander: false,
        incidentCommanderAgentId: 20,
      }),
    ).toEqual([
      expect.objectContaining({
        activityType: 'escalationOwner',
        audience: expect.objectContaining({ agentIds: [7] }),
      }),
    ]);
  });

  test.each([
    ['gate', true],
    ['concession', true],
    ['checkpoint', true],
    ['re-escalation', true],
    ['churn', false],
    ['uplift', false],
    ['governance', true],
  ])('%s needs action today: %s', (name, today) => {
    expect(EVERY_NOTICE.find(([n]) => n === name)![1].actionToday).toBe(today);
  });
});
