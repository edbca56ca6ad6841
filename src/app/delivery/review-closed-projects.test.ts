import type { DeliveryHistory, ProjectRow } from '../../domain/delivery/delivery-history';
import type { AuditEntry, AuditEntryInput, AuditTrail } from '../ports/audit.port';
import type { EnqueueResult, NotificationIntent, Outbox } from '../ports/notifications.port';
import type { PostProjectReviews, StoredPostProjectReview } from './post-project-reviews.port';
import { ReviewClosedProjects } from './review-closed-projects';
import { InMemoryDeliveryHistory } from '../../../tests/support/in-memory-delivery-history';

const NOW = new Date('2025-03-20T09:00:00Z');

function projectRow(id: number, closedAt: string | null): ProjectRow {
  return {
    id,
    name: `Project ${id}`,
    clientId: 7,
    projectType: null,
    pmAgentId: 5,
    createdAt: '2025-01-02T00:00:00.000Z',
    startDate: '2025-01-06T00:00:00.000Z',
    targetDate: '2025-03-31T00:00:00.000Z',
    deadlineDate: null,
    closedAt,
    statusId: closedAt === null ? 2 : 9,
    timeBudget: 100,
    moneyBudget: 10_000,
    onHold: false,
  };
}

/** Closed 3 days ago (1), closed 20 days ago (2), still running (3). */
const history: DeliveryHistory = {
  projects: [
    projectRow(1, '2025-03-17T15:00:00.000Z'),
    projectRow(2, '2025-02-28T15:00:00.000Z'),
    projectRow(3, null),
  ],
  milestones: [],
  tasks: [],
  statusChanges: [],
  effort: [],
  statusNames: new Map([
    [2, 'In Progress'],
    [9, 'Closed'],
  ]),
  dataQuality: new Map(),
  dataAsOf: '2025-03-20',
};

class World {
  reviews = new Map<number, StoredPostProjectReview>();
  outbox: NotificationIntent[] = [];
  audit: AuditEntryInput[] = [];
  signals = 0;

  readonly ports = {
    reviews: {
      reviewed: async (ids: readonly number[]) => new Set(ids.filter((id) => this.reviews.has(id))),
      insert: async (r: Omit<StoredPostProjectReview, 'accepted'>) => {
        if (this.reviews.has(r.projectId)) return false;
        this.reviews.set(r.projectId, { ...r, accepted: null });
        return true;
      },
      find: async (id: number) => this.reviews.get(id) ?? null,
      markAccepted: async () => undefined,
    } satisfies PostProjectReviews,
    outbox: {
      enqueue: async (intent: NotificationIntent): Promise<EnqueueResult> => {
        this.outbox.push(intent);
        return { status: 'queued', id: this.outbox.length };
      },
    } satisfies Outbox,
    audit: {
      append: async (input: AuditEntryInput) => {
        this.audit.push(input);
        return input as unknown as AuditEntry;
      },
      timeline: async () => [],
      timelineOf: async () => [],
    } satisfies AuditTrail,
  };

  readonly history = new InMemoryDeliveryHistory(history);

  useCase(projectsPerScope?: number): ReviewClosedProjects {
    return new ReviewClosedProjects({
      tenantId: 't',
      history: this.history,
      ...(projectsPerScope ? { projectsPerScope } : {}),
      delivery: { currentPolicy: async () => null, baselines: async () => new Map() },
      escalations: { all: async () => [] },
      tx: { transaction: (work) => work(this.ports) },
      clock: { now: () => NOW },
      outboxSignal: { notify: () => void (this.signals += 1) },
    });
  }
}

describe('the post-project review at closure', () => {
  test('a project closed within the window is reviewed once: stored, audited, posted to the reports channel', async () => {
    const world = new World();
    const review = world.useCase();

    expect(await review.run()).toEqual({ reviewed: [1] });
    expect(world.reviews.get(1)).toMatchObject({
      closedOn: '2025-03-17',
      review: { projectId: '1' },
    });
    expect(world.audit).toEqual([
      expect.objectContaining({
        subjectType: 'project',
        subjectId: '1',
        action: 'project.review.produced',
      }),
    ]);
    expect(world.outbox).toEqual([
      expect.objectContaining({
        dedupeKey: 'post-project-review:1',
        kind: 'post-project-review',
        target: { streams: ['reports'], clientId: 7 },
      }),
    ]);
    expect(world.signals).toBe(1);

    expect(await review.run()).toEqual({ reviewed: [] });
    expect(await review.run({ projectIds: [1] })).toEqual({ reviewed: [] });
    expect([world.outbox.length, world.audit.length, world.signals]).toEqual([1, 1, 1]);
  });

  test('an old closure and a running project get no review; a project filter is honoured', async () => {
    const world = new World();
    expect(await world.useCase().run({ projectIds: [2, 3] })).toEqual({ reviewed: [] });
    expect(world.reviews.size).toBe(0);
    expect(world.outbox).toEqual([]);
    expect(world.signals).toBe(0);
  });

  test('a webhook review loads only its project; the full run walks the tenant in project scopes', async () => {
    const world = new World();
    expect(await world.useCase().run({ projectIds: [3] })).toEqual({ reviewed: [] });
    expect(world.history.loads).toEqual([{ projectIds: [3] }]);

    expect(await world.useCase(2).run()).toEqual({ reviewed: [1] });
    expect(world.history.loads.slice(1)).toEqual([{ projectIds: [1, 2] }, { projectIds: [3] }]);
  });
});
