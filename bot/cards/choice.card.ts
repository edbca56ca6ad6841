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
} from './card-kit';
import type { AdaptiveCard, Container } from './card-types';
import type { CardVerb } from './card-verbs';

/** One option the person can pick. */
export interface ChoiceOption {
  title: string;
  subtitle: string | null;
  verb: CardVerb;
  data: Record<string, string | number | boolean | null>;
}

/** "Which one did you mean?" */
export interface ChoiceView {
  title: string;
  prompt: string;
  options: ChoiceOption[];
}

/** Lists up to ten options, each a button; longer lists end with "and N more". */
export function buildChoiceCard(view: ChoiceView, links: TabLinks): AdaptiveCard {
  return fitToBudget([10, 5, 3], (max) => {
    const shown = view.options.slice(0, max);
    const items: Container[] = shown.map((option) => ({
      type: 'Container',
      separator: true,
      items: compact([
        line(plain(clip(option.title, 100)), { weight: 'bolder' }),
        option.subtitle === null
          ? null
          : line(plain(clip(option.subtitle, 100)), { isSubtle: true, size: 'small' }),
        {
          type: 'ActionSet',
          actions: [executeAction('Show', option.verb, option.data)],
        },
      ]),
    }));
    return card(
      compact([
        heading(view.title),
        line(clip(view.prompt, 300)),
        ...items,
        moreLine(
          view.options.length - shown.length,
          'matches: type more of the name, or use the tab',
        ),
      ]),
      [openInTab(links.portfolio())],
      `${view.title}: ${view.prompt}`,
    );
  });
}
