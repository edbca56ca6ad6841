import { cardProblems } from '../../tests/bot/card-validation';
import {
  escalationView,
  hugeEscalationView,
  hugeProjectHealthView,
  portfolioView,
  projectHealthView,
  weeklyReportView,
} from '../../tests/bot/view-fixtures';
import { TabLinks } from '../tab-links';
import { CARD_BYTE_BUDGET, cardBytes } from './card-kit';
import type { AdaptiveCard } from './card-types';
import { buildChoiceCard } from './choice.card';
import { buildEscalationCard } from './escalation.card';
import { buildHelpCard } from './help.card';
import { buildNoticeCard } from './notice.card';
import { buildPortfolioSummaryCard } from './portfolio-summary.card';
import { buildProjectHealthCard } from './project-health.card';
import { buildWeeklyReportCard } from './weekly-report.card';

const links = new TabLinks({
  teamsAppId: 'app-1',
  entityId: 'portfolio',
  webBaseUrl: 'https://tower.example.com',
});
const TEAMS_LIMIT = 28 * 1024;

const choices = (n: number, len: number) => ({
  title: 'Which project?',
  prompt: 'Several projects match "migr".',
  options: Array.from({ length: n }, (_, i) => ({
    title: `${'Migration '.repeat(len)}${i}`,
    subtitle: `Client ${'y'.repeat(len)}`,
    verb: 'project.health' as const,
    data: { projectId: i },
  })),
});

const cases: [string, () => AdaptiveCard][] = [
  ['help', () => buildHelpCard({ unrecognised: null, isAdmin: true }, links)],
  [
    'help (unrecognised, huge text)',
    () => buildHelpCard({ unrecognised: 'z'.repeat(100_000), isAdmin: false }, links),
  ],
  [
    'notice',
    () => buildNoticeCard({ tone: 'refused', title: 'Not allowed', text: 'Only admins.' }, links),
  ],
  [
    'notice (huge)',
    () =>
      buildNoticeCard(
        { tone: 'error', title: 'x'.repeat(50_000), text: 'y'.repeat(90_000) },
        links,
      ),
  ],
  ['choice', () => buildChoiceCard(choices(3, 1), links)],
  ['choice (huge)', () => buildChoiceCard(choices(5_000, 2_000), links)],
  ['portfolio', () => buildPortfolioSummaryCard(portfolioView(), links)],
  ['portfolio (empty)', () => buildPortfolioSummaryCard(portfolioView(0), links)],
  ['portfolio (huge)', () => buildPortfolioSummaryCard(portfolioView(10_000, 3_000), links)],
  ['project health', () => buildProjectHealthCard(projectHealthView(), links)],
  [
    'project health (unknown, no data)',
    () =>
      buildProjectHealthCard(
        projectHealthView({
          score: null,
          rag: 'unknown',
          confidence: 0.1,
          drivers: [],
          changes: [],
          trend: [],
          nextMilestone: null,
          openEscalations: [],
          riskTags: [],
        }),
        links,
      ),
  ],
  ['project health (huge)', () => buildProjectHealthCard(hugeProjectHealthView(), links)],
  ['escalation', () => buildEscalationCard(escalationView(), links)],
  [
    'escalation (refused notice)',
    () =>
      buildEscalationCard(escalationView(), links, {
        tone: 'refused',
        text: 'Only the PM can acknowledge.',
      }),
  ],
  [
    'escalation (closed)',
    () => buildEscalationCard(escalationView({ state: 'false-positive' }), links),
  ],
  [
    'escalation (no agents)',
    () =>
      buildEscalationCard(escalationView({ assignableAgents: [], state: 'acknowledged' }), links),
  ],
  [
    'escalation (huge)',
    () =>
      buildEscalationCard(hugeEscalationView(), links, {
        tone: 'success',
        text: 'z'.repeat(10_000),
      }),
  ],
  ['weekly report', () => buildWeeklyReportCard(weeklyReportView(), links)],
  ['weekly report (empty)', () => buildWeeklyReportCard(weeklyReportView(0), links)],
  ['weekly report (huge)', () => buildWeeklyReportCard(weeklyReportView(3_000, 2_000), links)],
];

describe('cards', () => {
  test.each(cases)(
    '%s validates against the 1.5 schema and parses without warnings',
    (_name, build) => {
      expect(cardProblems(build())).toEqual([]);
    },
  );

  test.each(cases)('%s stays under 28 KB', (_name, build) => {
    const bytes = cardBytes(build());
    expect(bytes).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    expect(bytes).toBeLessThan(TEAMS_LIMIT);
  });

  test('every actionable card carries a deep link to the tab and a Submit fallback on each Execute', () => {
    for (const [, build] of cases) {
      const json = JSON.stringify(build());
      if (!json.includes('Action.Execute')) continue;
      expect(json).toContain('https://teams.microsoft.com/l/entity/app-1/portfolio');
      const executes = json.match(/"type":"Action.Execute"/g)?.length ?? 0;
      const submits = json.match(/"type":"Action.Submit"/g)?.length ?? 0;
      expect(submits).toBe(executes);
    }
  });

  test('long lists end with "and N more"', () => {
    const json = JSON.stringify(buildPortfolioSummaryCard(portfolioView(40), links));
    expect(json).toContain('and 30 more projects in the tab');
  });

  test('an unknown project never shows green', () => {
    const json = JSON.stringify(
      buildProjectHealthCard(projectHealthView({ score: null, rag: 'unknown' }), links),
    );
    expect(json).toContain('— (Unknown)');
    expect(json).not.toContain('"color":"good"');
  });

  test('a closed escalation offers no decision buttons', () => {
    const json = JSON.stringify(buildEscalationCard(escalationView({ state: 'resolved' }), links));
    expect(json).not.toContain('escalation.acknowledge');
    expect(json).not.toContain('escalation.snooze');
  });

  test('outside Teams the deep link opens the web tab', () => {
    const web = new TabLinks({
      teamsAppId: null,
      entityId: 'portfolio',
      webBaseUrl: 'http://localhost:3978/',
    });
    expect(web.project(5)).toBe('http://localhost:3978/projects/5');
  });
});
