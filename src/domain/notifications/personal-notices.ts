/**
 * Who gets what (SPEC §1–§5): for each event that needs a person to act, the people told personally
 * (a 1:1 bot message and a Teams activity-feed notification) and how the feed entry reads. Pure: the
 * people are described (roles, HaloPSA agents, Entra object ids) and resolved by the outbox.
 */
import type { Role } from '../shared/roles';

/** Activity-feed types, as declared in the manifest's `activities.activityTypes`. */
export const ACTIVITY_TYPES = {
  gateApproval: {
    description: 'A stage gate waits for your decision',
    templateText: 'Stage gate {milestone} on {project} waits for your decision',
  },
  concessionApproval: {
    description: 'A concession waits for your decision',
    templateText: 'A {depth} concession for {client} waits for your decision',
  },
  concessionExpired: {
    description: 'A concession you requested expired undecided',
    templateText: 'Your {depth} concession for {client} expired: nobody decided within {days} days',
  },
  escalationOwner: {
    description: 'An escalation you own needs acknowledging',
    templateText: 'Escalation on {project} needs acknowledging: {cause}',
  },
  incidentCommand: {
    description: 'A high-severity escalation for the incident commander',
    templateText: 'High-severity escalation on {project}: {cause}',
  },
  reEscalation: {
    description: 'An escalation was not acknowledged within its SLA',
    templateText: 'Not acknowledged in time: {project} ({cause})',
  },
  churnRisk: {
    description: 'A contract was flagged as a churn risk',
    templateText: '{client} flagged as a churn risk: {cause}',
  },
  checkpointMissed: {
    description: 'A mandatory renewal checkpoint was missed',
    templateText: 'Renewal checkpoint missed for {client} ({stage}-day stage)',
  },
  upliftProposed: {
    description: 'An uplift was proposed on a contract you own',
    templateText: 'Uplift proposed for {client}: {summary}',
  },
  governanceReview: {
    description: 'The monthly governance review is ready',
    templateText: 'The {month} governance review is ready',
  },
  dailyDigest: {
    description: 'Your daily digest of open items',
    templateText: 'Your Control Tower digest: {count} open items',
  },
} as const satisfies Record<string, { description: string; templateText: string }>;

/** One declared activity type. */
export type ActivityType = keyof typeof ACTIVITY_TYPES;

/** The `{name}` placeholders of a template text, in order. */
export function templatePlaceholders(templateText: string): string[] {
  return [...templateText.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]!);
}

/** Who is told: the union of these, without the excluded, each person once. */
export interface Audience {
  /** Everyone holding one of these roles. */
  roles: readonly Role[];
  /** HaloPSA agents (owners, account managers), matched to people by e-mail. */
  agentIds: readonly number[];
  /** People named directly (the eligible approvers a gate or concession view lists). */
  aadObjectIds: readonly string[];
  /** Never these agents (segregation of duties: the project's PM, the requester). */
  exceptAgentIds: readonly number[];
  /** Never these people. */
  exceptAadObjectIds: readonly string[];
  /** Never the holders of these roles (they are told by another notice of the same event). */
  exceptRoles: readonly Role[];
}

/** The tab page a notification links to. */
export type TabPage =
  | { page: 'gate'; gateId: string; projectId: number }
  | { page: 'escalation'; escalationId: string; projectId: number }
  | { page: 'contract'; contractId: number }
  | { page: 'renewals' }
  | { page: 'governance'; month: string }
  | { page: 'portfolio' }
  | { page: 'notifications' };

/** The personal streams a person chooses digest or immediate delivery for. */
export const PERSONAL_STREAMS = ['approvals', 'escalations', 'renewals', 'governance'] as const;

/** One personal stream. */
export type PersonalStream = (typeof PERSONAL_STREAMS)[number];

/** How a person takes a stream: each item as it happens, or in the 08:00 digest. */
export type DeliveryMode = 'immediate' | 'digest';

/** What one event tells the people who must act. */
export interface PersonalNotice {
  audience: Audience;
  stream: PersonalStream;
  activityType: ActivityType;
  /** Values of the activity type's placeholders. */
  templateParameters: Record<string, string>;
  /** The feed entry's preview line (Graph allows 150 characters). */
  previewText: string;
  /** Where the feed entry and the digest line lead. */
  link: TabPage;
  /** Needs action today: delivered at once (unless the person chose the digest for the stream). */
  actionToday: boolean;
  /** The digest itself: always delivered at once, never held for a digest. */
  isDigest?: true;
}

const PREVIEW_LIMIT = 150;

function audience(parts: Partial<Audience>): Audience {
  return {
    roles: parts.roles ?? [],
    agentIds: parts.agentIds ?? [],
    aadObjectIds: parts.aadObjectIds ?? [],
    exceptAgentIds: parts.exceptAgentIds ?? [],
    exceptAadObjectIds: parts.exceptAadObjectIds ?? [],
    exceptRoles: parts.exceptRoles ?? [],
  };
}

function notice(
  activityType: ActivityType,
  templateParameters: Record<string, string>,
  rest: Omit<PersonalNotice, 'activityType' | 'templateParameters' | 'previewText'>,
): PersonalNotice {
  let text: string = ACTIVITY_TYPES[activityType].templateText;
  for (const name of templatePlaceholders(text)) {
    text = text.replace(`{${name}}`, templateParameters[name] ?? '');
  }
  const previewText = text.length > PREVIEW_LIMIT ? `${text.slice(0, PREVIEW_LIMIT - 1)}…` : text;
  return { activityType, templateParameters, previewText, ...rest };
}

/** A pending gate → its eligible approvers (PMO leads who are neither the requester nor the PM). */
export function gatePendingNotice(gate: {
  gateId: string;
  projectId: number;
  projectName: string;
  milestoneName: string;
  eligibleApproverAadObjectIds: readonly string[];
}): PersonalNotice {
  return notice(
    'gateApproval',
    { milestone: gate.milestoneName, project: gate.projectName },
    {
      audience: audience({ aadObjectIds: gate.eligibleApproverAadObjectIds }),
      stream: 'approvals',
      link: { page: 'gate', gateId: gate.gateId, projectId: gate.projectId },
      actionToday: true,
    },
  );
}

/** A concession request → the approvers of its tier (never the requester). */
export function concessionPendingNotice(concession: {
  contractId: number;
  clientName: string;
  discountPct: number;
  eligibleApproverAadObjectIds: readonly string[];
}): PersonalNotice {
  return notice(
    'concessionApproval',
    { depth: `${concession.discountPct} %`, client: concession.clientName },
    {
      audience: audience({ aadObjectIds: concession.eligibleApproverAadObjectIds }),
      stream: 'approvals',
      link: { page: 'contract', contractId: concession.contractId },
      actionToday: true,
    },
  );
}

/** A concession nobody decided within the policy's expiry → its requester (who may ask again). */
export function concessionExpiredNotice(concession: {
  contractId: number;
  clientName: string;
  discountPct: number;
  expiryDays: number;
  requesterAadObjectId: string | null;
}): PersonalNotice {
  return notice(
    'concessionExpired',
    {
      depth: `${concession.discountPct} %`,
      client: concession.clientName,
      days: String(concession.expiryDays),
    },
    {
      audience: audience({
        aadObjectIds:
          concession.requesterAadObjectId === null ? [] : [concession.requesterAadObjectId],
      }),
      stream: 'approvals',
      link: { page: 'contract', contractId: concession.contractId },
      actionToday: true,
    },
  );
}

/** An escalation's people, by moment in its life. */
export interface EscalationSubject {
  escalationId: string;
  projectId: number;
  projectName: string;
  cause: string;
  ownerAgentId: number | null;
}

/**
 * An escalation opened → its owner; high severity → the incident commander (the delivery director,
 * SPEC §1) first, the owner after.
 */
export function escalationOpenedNotices(
  e: EscalationSubject & { incidentCommander: boolean; incidentCommanderAgentId: number | null },
): PersonalNotice[] {
  const parameters = { project: e.projectName, cause: e.cause };
  const link: TabPage = {
    page: 'escalation',
    escalationId: e.escalationId,
    projectId: e.projectId,
  };
  const owner = notice('escalationOwner', parameters, {
    audience: audience({
      agentIds: e.ownerAgentId === null ? [] : [e.ownerAgentId],
      // An owner who is also the incident commander is told once, by the incident notice.
      exceptRoles:
        e.incidentCommander && e.incidentCommanderAgentId === null ? ['delivery_director'] : [],
      exceptAgentIds:
        e.incidentCommander && e.incidentCommanderAgentId !== null
          ? [e.incidentCommanderAgentId]
          : [],
    }),
    stream: 'escalations',
    link,
    actionToday: true,
  });
  if (!e.incidentCommander) return [owner];
  const commander = notice('incidentCommand', parameters, {
    audience:
      e.incidentCommanderAgentId === null
        ? audience({ roles: ['delivery_director'] })
        : audience({ agentIds: [e.incidentCommanderAgentId] }),
    stream: 'escalations',
    link,
    actionToday: true,
  });
  return [commander, owner];
}

/** Unacknowledged past its SLA → the delivery director. */
export function escalationReEscalatedNotice(e: EscalationSubject): PersonalNotice {
  return notice(
    'reEscalation',
    { project: e.projectName, cause: e.cause },
    {
      audience: audience({ roles: ['delivery_director'] }),
      stream: 'escalations',
      link: { page: 'escalation', escalationId: e.escalationId, projectId: e.projectId },
      actionToday: true,
    },
  );
}

/** A contract's people on the renewal loop. */
export interface ContractSubject {
  contractId: number;
  clientName: string;
  accountManagerAgentId: number | null;
}

/** Churn flag → the account manager and the cs leads (not urgent today: the digest carries it). */
export function churnFlagNotice(c: ContractSubject & { cause: string }): PersonalNotice {
  return notice(
    'churnRisk',
    { client: c.clientName, cause: c.cause },
    {
      audience: audience({
        roles: ['cs_lead'],
        agentIds: c.accountManagerAgentId === null ? [] : [c.accountManagerAgentId],
      }),
      stream: 'renewals',
      link: { page: 'contract', contractId: c.contractId },
      actionToday: false,
    },
  );
}

/** Missed mandatory checkpoint → the account manager and the cs leads (needs action today). */
export function checkpointMissedNotice(c: ContractSubject & { stage: string }): PersonalNotice {
  return notice(
    'checkpointMissed',
    { client: c.clientName, stage: c.stage },
    {
      audience: audience({
        roles: ['cs_lead'],
        agentIds: c.accountManagerAgentId === null ? [] : [c.accountManagerAgentId],
      }),
      stream: 'renewals',
      link: { page: 'contract', contractId: c.contractId },
      actionToday: true,
    },
  );
}

/** Uplift proposed → the account manager. */
export function upliftProposedNotice(c: ContractSubject & { summary: string }): PersonalNotice {
  return notice(
    'upliftProposed',
    { client: c.clientName, summary: c.summary },
    {
      audience: audience({
        agentIds: c.accountManagerAgentId === null ? [] : [c.accountManagerAgentId],
      }),
      stream: 'renewals',
      link: { page: 'contract', contractId: c.contractId },
      actionToday: false,
    },
  );
}

/**
 * The monthly governance review is ready → the cs leads, on the month's first working day: its
 * suggestions wait for their answers (a person who takes the governance stream as a digest gets it at
 * 08:00 instead).
 */
export function governanceReviewNotice(review: { month: string }): PersonalNotice {
  return notice(
    'governanceReview',
    { month: review.month },
    {
      audience: audience({ roles: ['cs_lead'] }),
      stream: 'governance',
      link: { page: 'governance', month: review.month },
      actionToday: true,
    },
  );
}

/** The daily digest → one person (its items are listed in the message). */
export function dailyDigestNotice(person: { aadObjectId: string; count: number }): PersonalNotice {
  return notice(
    'dailyDigest',
    { count: String(person.count) },
    {
      audience: audience({ aadObjectIds: [person.aadObjectId] }),
      stream: 'approvals',
      link: { page: 'notifications' },
      actionToday: true,
      isDigest: true,
    },
  );
}
