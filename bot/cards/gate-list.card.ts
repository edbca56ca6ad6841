import type { GateView } from '../../src/app/gates/gate-views';
import { statusWords } from '../../src/domain/gates/gate-decision';
import type { TabLinks } from '../tab-links';
import {
  card,
  clip,
  compact,
  executeAction,
  fitToBudget,
  heading,
  line,
  moreLine,
  openInTab,
  plain,
  when,
} from './card-kit';
import type { AdaptiveCard, CardElement, Container } from './card-types';

/** `/gates`: the gates waiting for me (to decide) and the gates I requested or whose project I run. */
export interface GateListView {
  toDecide: GateView[];
  requested: GateView[];
  isApprover: boolean;
}

/** The `/gates` card: each gate opens its approval card. */
export function buildGateListCard(view: GateListView, links: TabLinks): AdaptiveCard {
  return fitToBudget([25, 10, 4], (max) => {
    const row = (gate: GateView): Container => ({
      type: 'Container',
      selectAction: executeAction('Open', 'gate.open', { gateId: gate.id }),
      items: [
        line(`**${plain(clip(gate.project.name, 60))}**: ${plain(clip(gate.milestone.name, 50))}`, {
          spacing: 'none',
        }),
        line(
          `${statusWords(gate.status)} · v${gate.packVersion} #${gate.shortHash} · ${clip(gate.requestedBy.name, 40)} · ${when(gate.requestedAt)}`,
          { isSubtle: true, size: 'small', spacing: 'none' },
        ),
      ],
    });
    const section = (title: string, gates: GateView[], empty: string): CardElement[] =>
      compact([
        line(title, { weight: 'bolder', separator: true }),
        gates.length === 0 ? line(empty, { isSubtle: true }) : null,
        ...gates.slice(0, max).map(row),
        moreLine(gates.length - max, 'gates in the tab'),
      ]);
    const body: CardElement[] = [
      heading('Gates waiting for you'),
      ...(view.isApprover
        ? section('To decide', view.toDecide, 'No gate is waiting for your decision.')
        : []),
      ...section('Requested by you or on your projects', view.requested, 'None.'),
    ];
    return card(
      body,
      [openInTab(links.portfolio())],
      `${view.toDecide.length} gates to decide, ${view.requested.length} requested`,
    );
  });
}
