import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import { httpsUrl, safeText, toRecordId, toTextId } from '../src/shared/input-schemas';
import type { Actor } from '../src/app/delivery-views';
import type { DecideGate } from '../src/app/gates/decide-gate';
import type { GateForm } from '../src/app/gates/gate-form';
import { GATE_NOTIFICATION_KIND, type GatePayload } from '../src/app/gates/gate-payloads';
import type { GateQueries } from '../src/app/gates/gate-queries';
import type { GateRequestInput, GateView } from '../src/app/gates/gate-views';
import type { RequestGate } from '../src/app/gates/request-gate';
import type { VerifyPack } from '../src/app/gates/verify-pack';
import type { RoleDirectory } from '../src/app/identity/identity.port';
import type { ReadAccess } from '../src/app/identity/read-access';
import type { GateOutcome } from '../src/domain/gates/gate-decision';
import type { RenderResult } from '../src/app/ports/notifications.port';
import type { BotLogger } from './bot-adapter';
import type { BotFeature, CardActionHandler } from './bot-feature';
import { buildChoiceCard } from './cards/choice.card';
import type { AdaptiveCard } from './cards/card-types';
import { CARD_VERBS, type CardVerb } from './cards/card-verbs';
import {
  buildGateApprovalCard,
  GATE_APPROVAL_INPUTS,
  type GateNotice,
} from './cards/gate-approval.card';
import { buildGateFormCard, GATE_FORM_INPUTS } from './cards/gate-form.card';
import { buildGateListCard } from './cards/gate-list.card';
import { buildNoticeCard, type NoticeView } from './cards/notice.card';
import { COMMAND_PATTERNS, commandArgument } from './commands';
import type { TabLinks } from './tab-links';
import { turnActor } from './turn-actor';

/** The gate use cases the bot calls. */
export interface GateBotUseCases {
  form: GateForm;
  request: RequestGate;
  decide: DecideGate;
  queries: GateQueries;
  /** Re-verifies the frozen pack's files whenever the card is opened. */
  verify: VerifyPack;
}

export interface GateBotDeps {
  gates: GateBotUseCases;
  roles: RoleDirectory;
  /** The read rules (SPEC §1), shared with the tab API: a gate is read by those who read its project. */
  access: ReadAccess;
  links: TabLinks;
  logger: BotLogger;
}

/** The gate verbs this module answers: every `gate.*` card verb. */
export type GateVerb = Extract<CardVerb, `gate.${string}`>;

export const GATE_VERBS: readonly GateVerb[] = CARD_VERBS.filter((verb): verb is GateVerb =>
  verb.startsWith('gate.'),
);

/** A decision's comment, as the tab API takes it. */
const DECISION_COMMENT = safeText(2000);

const OUTCOME: Partial<Record<GateVerb, GateOutcome>> = {
  'gate.approve': 'approve',
  'gate.reject': 'reject',
  'gate.requestChanges': 'request-changes',
};

/**
 * `/gate <project>`, `/gates` and the gate card actions. Translation only: who may decide, what is
 * missing and what a decision does are the use cases' calls.
 */
export class GateBotHandlers {
  constructor(private readonly deps: GateBotDeps) {}

  /** `/gate <project>`: the evidence pack form for the project (or which project?). */
  async gateCommand(context: TurnContext): Promise<void> {
    const text = commandArgument('gate', context.activity.text);
    if (text === '') {
      return reply(
        context,
        this.notice({
          tone: 'info',
          title: 'Which project?',
          text: 'Use /gate <project name or id> to request a stage gate; /gates lists the gates waiting for you.',
        }),
      );
    }
    const actor = await this.actor(context);
    const matches = [];
    for (const match of await this.deps.gates.form.findProjects(text)) {
      if ((await this.deps.access.project(actor, match.id)).ok) matches.push(match);
    }
    const exact = matches.filter((m) => m.exact);
    const chosen = exact.length === 1 ? exact[0] : matches.length === 1 ? matches[0] : undefined;
    if (chosen) return reply(context, await this.formCard(actor, chosen.id));
    if (matches.length === 0) {
      return reply(
        context,
        this.notice({
          tone: 'info',
          title: 'No project found',
          text: `No open project matches "${text}".`,
        }),
      );
    }
    return reply(
      context,
      buildChoiceCard(
        {
          title: 'Which project?',
          prompt: `${matches.length} projects match "${text}". Request a gate for:`,
          options: matches.map((m) => ({
            title: m.name,
            subtitle: `${m.clientName} · project ${m.id}`,
            verb: 'gate.form',
            data: { projectId: m.id },
          })),
        },
        this.deps.links,
      ),
    );
  }

  /** `/gates`: what waits for me. */
  async gatesCommand(context: TurnContext): Promise<void> {
    const actor = await this.actor(context);
    const mine = await this.deps.gates.queries.waitingFor(actor);
    await reply(
      context,
      buildGateListCard({ ...mine, isApprover: actor.roles.includes('pmo_lead') }, this.deps.links),
    );
  }

  /** A gate card button: returns the card to show the clicker. */
  async cardAction(
    context: TurnContext,
    verb: GateVerb,
    data: Record<string, unknown>,
  ): Promise<AdaptiveCard> {
    const actor = await this.actor(context);
    if (verb === 'gate.form') {
      const projectId = toRecordId(data.projectId);
      return projectId !== null
        ? this.formCard(actor, projectId)
        : this.notice({
            tone: 'error',
            title: 'Unknown project',
            text: 'That button has no project.',
          });
    }
    if (verb === 'gate.request') return this.request(actor, data);
    const gateId = toTextId(data.gateId) ?? '';
    if (gateId === '') {
      return this.notice({
        tone: 'error',
        title: 'Unknown gate',
        text: 'That button has no gate.',
      });
    }
    const outcome = OUTCOME[verb];
    if (outcome === undefined) {
      // gate.open, gate.refresh: the card as this person should see it now.
      const view = await this.deps.gates.queries.view(gateId);
      if (!view) {
        return this.notice({
          tone: 'info',
          title: 'No such gate',
          text: 'This gate no longer exists.',
        });
      }
      const allowed = await this.deps.access.project(actor, view.project.id);
      if (!allowed.ok) {
        return this.notice({
          tone: 'refused',
          title: 'Not available to you',
          text: allowed.message,
        });
      }
      const integrity = await this.deps.gates.verify.run(gateId);
      const changed = integrity?.files.filter((f) => !f.ok).map((f) => f.name) ?? [];
      return this.approvalCard(
        view,
        actor,
        integrity?.status === 'mismatch'
          ? {
              tone: 'refused',
              text: `Evidence changed since pack #${view.shortHash} was frozen: ${changed.join(', ')}. This has been recorded on the gate's audit timeline.`,
            }
          : null,
      );
    }
    const packVersion = toRecordId(data.packVersion) ?? -1;
    const key =
      verb === 'gate.reject'
        ? GATE_APPROVAL_INPUTS.rejectComment
        : GATE_APPROVAL_INPUTS.changesComment;
    const typed = data[key] ?? '';
    const comment = DECISION_COMMENT.safeParse(typed);
    if (!comment.success) {
      // The tab API holds comments to the same rule: they go to the audit log and to HaloPSA.
      return this.notice({
        tone: 'error',
        title: 'Check the comment',
        text: 'A comment is text of at most 2,000 characters, without control or direction-override characters.',
      });
    }
    const result = await this.deps.gates.decide.run(actor, {
      gateId,
      packVersion,
      outcome,
      comment: comment.data,
    });
    if (!result.ok) {
      this.deps.logger.info(
        { gateId, reason: result.reason, actor: actor.aadObjectId },
        'gate decision refused',
      );
      return result.gate
        ? // A race lost on a gate one may decide (already decided, stale pack) is not counted.
          this.approvalCard(result.gate, actor, { tone: 'refused', text: result.message })
        : this.notice({ tone: 'refused', title: 'Not done', text: result.message });
    }
    return this.approvalCard(result.gate, actor, { tone: 'success', text: result.notice });
  }

  private async request(actor: Actor, data: Record<string, unknown>): Promise<AdaptiveCard> {
    const parsed = parseGateForm(data);
    if (!parsed.ok)
      return this.notice({ tone: 'error', title: 'Check the form', text: parsed.message });
    const result = await this.deps.gates.request.run(actor, parsed.input);
    if (!result.ok) {
      return this.notice({
        tone: 'refused',
        title:
          result.reason === 'missing-evidence'
            ? 'The evidence pack is incomplete'
            : 'Not requested',
        text:
          result.reason === 'missing-evidence'
            ? `Missing: ${result.missing.map((m) => `• ${m.message}`).join(' ')}`
            : result.message,
      });
    }
    return this.approvalCard(result.gate, actor, {
      tone: 'success',
      text: `Requested: pack version ${result.gate.packVersion} (#${result.gate.shortHash}) is with the PMO leads.`,
    });
  }

  private async formCard(actor: Actor, projectId: number): Promise<AdaptiveCard> {
    const allowed = await this.deps.access.project(actor, projectId);
    if (!allowed.ok) {
      return this.notice({ tone: 'refused', title: 'Not available to you', text: allowed.message });
    }
    const form = await this.deps.gates.form.form(projectId);
    return form
      ? buildGateFormCard(form, this.deps.links)
      : this.notice({
          tone: 'info',
          title: 'No project found',
          text: `There is no project ${projectId}.`,
        });
  }

  private approvalCard(view: GateView, actor: Actor, notice: GateNotice | null): AdaptiveCard {
    return buildGateApprovalCard(
      view,
      this.deps.links,
      mayDecide(view, actor) ? 'approver' : 'read-only',
      notice,
      { refresh: false },
    );
  }

  private actor(context: TurnContext): Promise<Actor> {
    return turnActor(context, this.deps.roles);
  }

  private notice(view: NoticeView): AdaptiveCard {
    return buildNoticeCard(view, this.deps.links);
  }
}

/**
 * The gate feature of the bot: `/gates` and `/gate <project>` (in that order: `/gates` must win),
 * the gate card verbs and the renderer of `gate` outbox rows.
 */
export function gateBotFeature(handlers: GateBotHandlers, links: TabLinks): BotFeature {
  const cardActions: Partial<Record<CardVerb, CardActionHandler>> = {};
  for (const verb of GATE_VERBS) {
    cardActions[verb] = (context, data) => handlers.cardAction(context, verb, data);
  }
  return {
    commands: [
      { pattern: COMMAND_PATTERNS.gates, run: (context) => handlers.gatesCommand(context) },
      { pattern: COMMAND_PATTERNS.gate, run: (context) => handlers.gateCommand(context) },
    ],
    cardActions,
    renderers: { [GATE_NOTIFICATION_KIND]: (payload) => renderGatePayload(payload, links) },
  };
}

/** True when this person sees the decision buttons: a listed approver who has not approved this version. */
export function mayDecide(view: GateView, actor: Actor): boolean {
  return (
    view.status === 'pending' &&
    actor.roles.includes('pmo_lead') &&
    actor.aadObjectId !== null &&
    view.approverAadObjectIds.includes(actor.aadObjectId) &&
    !view.decisions.some((d) => d.by.aadObjectId === actor.aadObjectId)
  );
}

/** Renders a `gate` outbox row: the read-only card (approvers get theirs through refresh). */
export function renderGatePayload(payload: unknown, links: TabLinks): RenderResult {
  const { gate, notice } = (payload ?? {}) as Partial<GatePayload>;
  if (!gate?.id) return { ok: false, reason: 'gate payload without gate' };
  return {
    ok: true,
    activity: {
      type: 'message',
      summary: `Stage gate: ${gate.project.name} — ${gate.milestone.name}`,
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: buildGateApprovalCard(gate, links, 'read-only', notice ?? null),
        },
      ],
    },
  };
}

/** Reads the gate form's inputs; says what to fix when they cannot be read. */
export function parseGateForm(
  data: Record<string, unknown>,
): { ok: true; input: GateRequestInput } | { ok: false; message: string } {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string).trim() : '');
  const projectId = toRecordId(data.projectId);
  const milestoneId = toRecordId(text(GATE_FORM_INPUTS.milestoneId));
  if (projectId === null || milestoneId === null) {
    return { ok: false, message: 'Pick the gate milestone.' };
  }
  const links: { title: string; url: string }[] = [];
  for (const raw of lines(text(GATE_FORM_INPUTS.links))) {
    const [first = '', second] = raw.split('|').map((p) => p.trim());
    const url = second ?? first;
    if (!httpsUrl.safeParse(url).success) {
      return { ok: false, message: `"${raw}" is not a link: use "title | https://…" or a URL.` };
    }
    links.push({ title: second === undefined ? url : first || url, url });
  }
  const qa = text(GATE_FORM_INPUTS.qaOutcome);
  const qaNotes = text(GATE_FORM_INPUTS.qaNotes);
  const qaOutcomes =
    qa === 'pass' || qa === 'fail' ? [{ name: 'QA', outcome: qa, notes: qaNotes } as const] : [];
  const openRisks = lines(text(GATE_FORM_INPUTS.risks)).map((raw) => {
    const [description = '', owner = '', mitigation = ''] = raw.split('|').map((p) => p.trim());
    return { description, owner, mitigation };
  });
  return {
    ok: true,
    input: {
      projectId,
      milestoneId,
      links,
      fileIds: null,
      qaOutcomes: qaOutcomes.map((q) => ({ ...q })),
      customerAcceptanceNotes: text(GATE_FORM_INPUTS.acceptance),
      openRisks,
      noOpenRisks: text(GATE_FORM_INPUTS.riskState) === 'none' && openRisks.length === 0,
    },
  };
}

function lines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

async function reply(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
