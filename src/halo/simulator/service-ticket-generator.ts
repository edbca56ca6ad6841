/**
 * One service ticket of a managed-services client: its SLA response and fix, the notes and status
 * changes of its life (customer replies, reopens, feedback), and the time worked on it.
 */
import type { AccountSituation, Profile } from './account-profile';
import { DAY_MS, HOUR_MS, monthStart } from './calendar';
import type { GeneratorContext } from './generator-context';
import { CATEGORIES, PRIORITIES, STATUS, TICKET_SUMMARIES, TICKET_TYPE } from './lookups';
import type { Rng } from './prng';
import { TICKET_KIND } from './ticket-store';

const NEGATIVE = [
  'This is the third time this has happened, very disappointed.',
  'Still not fixed. This is unacceptable for what we pay.',
  'We have been waiting days for a response, frustrated.',
  'Honestly considering other providers at this point.',
  'Poor service again, nobody called us back.',
  'The same issue keeps coming back, this is not good enough.',
];
const NEUTRAL = [
  'Thanks, any update on this?',
  'User is available after 2pm.',
  'Please see the attached screenshot.',
  'Can you call the user directly?',
];
const POSITIVE = [
  'Thanks for the quick fix, much appreciated.',
  'Great service as always.',
  'We are opening a new office next quarter and will need more seats.',
  'We are hiring another ten people, please plan the onboarding.',
];

/**
 * Adds a ticket with its actions and timesheet events, and adds its hours to `monthHours`
 * (keyed `<contractId>:<month start day>`).
 */
export function generateTicket(
  ctx: GeneratorContext,
  rng: Rng,
  clientId: number,
  clientName: string,
  situation: AccountSituation,
  prof: Profile,
  occurred: number,
  contractId: number,
  eventsPerTicket: number,
  monthHours: Map<string, number>,
): void {
  const { tickets, actions, timesheets } = ctx;
  const asOfMs = ctx.asOfEndMs;
  const r = rng.next();
  const priority = r < 0.03 * prof.volume ? 1 : r < 0.15 ? 2 : r < 0.62 ? 3 : 4;
  const category =
    situation === 'expanding' && rng.chance(0.35) ? 6 : rng.int(0, CATEGORIES.length - 1);
  const summary = rng.pick(TICKET_SUMMARIES[category] ?? ['Support request']);
  const type =
    category === 6
      ? TICKET_TYPE.serviceRequest
      : rng.chance(0.9)
        ? TICKET_TYPE.incident
        : TICKET_TYPE.problem;
  const p = PRIORITIES[priority - 1] ?? { response: 4, fix: 24 };
  const agent = rng.pick(ctx.engineers);
  const breachResp = rng.chance(prof.breach);
  const breachFix = rng.chance(prof.breach);
  const response =
    occurred + p.response * (breachResp ? rng.float(1.2, 3) : rng.float(0.1, 0.9)) * HOUR_MS;
  const fixHours = p.fix * (breachFix ? rng.float(1.1, 3) : rng.float(0.1, 0.95));
  let closed = occurred + fixHours * HOUR_MS;
  const id = tickets.add({
    kind: TICKET_KIND.service,
    client: clientId,
    agent,
    type,
    priority,
    category,
    summary: tickets.text.intern(summary),
    details: tickets.text.intern(`${summary}. Reported by a user at ${clientName}.`),
    occurred,
    contract: contractId,
  });
  let last = occurred;
  const add = (
    at: number,
    outcome: Parameters<typeof actions.add>[0]['outcome'],
    note: string,
    by: number,
    status?: number,
  ): boolean => {
    if (at > asOfMs) return false;
    actions.add({ ticketId: id, at, outcome, note, agentId: by, newStatus: status, clientId });
    last = Math.max(last, at);
    return true;
  };
  add(occurred, 'Note', `Logged by user: ${summary}.`, 0, STATUS.new);
  const responded = add(
    response,
    'Agent Response',
    'Investigating, will update shortly.',
    agent,
    STATUS.inProgress,
  );
  if (rng.chance(0.35)) {
    const pool = rng.chance(prof.negative)
      ? NEGATIVE
      : situation === 'expanding' && rng.chance(0.3)
        ? POSITIVE
        : NEUTRAL;
    add(
      occurred + (response - occurred) + rng.float(0.2, 0.9) * (closed - response),
      'Customer Reply',
      rng.pick(pool),
      0,
    );
  }
  let status: number = responded ? STATUS.inProgress : STATUS.new;
  let closedAt = 0;
  let reopened = 0;
  if (add(closed, 'Closed', 'Resolved and confirmed with the user.', agent, STATUS.closed)) {
    status = STATUS.closed;
    closedAt = closed;
    if (rng.chance(prof.reopen)) {
      const reopenAt = closed + rng.float(1, 5) * DAY_MS;
      if (
        add(
          reopenAt,
          'Reopened',
          rng.chance(prof.negative + 0.2) ? rng.pick(NEGATIVE) : 'The issue has come back.',
          0,
          STATUS.inProgress,
        )
      ) {
        reopened = 1;
        status = STATUS.inProgress;
        closedAt = 0;
        closed = reopenAt + rng.float(4, 48) * HOUR_MS;
        if (
          add(
            closed,
            'Closed',
            'Fixed properly this time, root cause addressed.',
            agent,
            STATUS.closed,
          )
        ) {
          status = STATUS.closed;
          closedAt = closed;
        }
      }
    }
  }
  let feedback = 0;
  if (closedAt > 0 && rng.chance(0.3)) {
    const score = rng.pick(prof.feedback);
    const at = closedAt + rng.float(2, 48) * HOUR_MS;
    const comment =
      score <= 2 ? rng.pick(NEGATIVE) : score >= 4 ? rng.pick(POSITIVE.slice(0, 2)) : 'OK.';
    if (add(at, 'Customer Feedback', `Customer rated ${score}/5: ${comment}`, 0)) feedback = score;
  }

  // Time worked.
  const n = Math.max(1, Math.floor(eventsPerTicket) + (rng.chance(eventsPerTicket % 1) ? 1 : 0));
  const end = closedAt > 0 ? closedAt : Math.min(asOfMs, occurred + fixHours * HOUR_MS);
  let hours = 0;
  for (let e = 0; e < n; e++) {
    const start = response + ((end - response) * e) / n;
    const h = Math.max(
      0.25,
      Math.round(rng.float(0.25, 1.25) * prof.hoursFactor * (priority === 1 ? 2 : 1) * 4) / 4,
    );
    if (start + h * HOUR_MS > asOfMs) continue;
    timesheets.add(id, agent, start, h, 110, contractId);
    hours += h;
    last = Math.max(last, start + h * HOUR_MS);
    const key = `${contractId}:${monthStart(Math.floor(start / DAY_MS))}`;
    monthHours.set(key, (monthHours.get(key) ?? 0) + h);
  }

  const elapsed = (closedAt > 0 ? closedAt : asOfMs) - occurred;
  tickets.set('status', id, status);
  tickets.set('closed', id, closedAt);
  tickets.set('response', id, responded ? response : 0);
  tickets.set('sla', id, breachResp && responded ? 2 : responded || response > asOfMs ? 1 : 2);
  tickets.set('slapct', id, Math.min(999, (elapsed / HOUR_MS / p.fix) * 100));
  tickets.set('timetaken', id, hours);
  tickets.set('feedback', id, feedback);
  tickets.set('reopened', id, reopened);
  tickets.set('lastUpdate', id, last);
  tickets.set('lastAction', id, last);
}
