/**
 * A transparent negative-language lexicon for customer-visible ticket notes. Not a model: a word
 * list anyone can read, with a weight per phrase and a scoring function that says which phrases it
 * found. The loader counts hits per month ({@link negativeHitCount}); the readiness score and churn
 * flagging read the monthly totals. Tenants can pass their own list.
 */

/** One phrase of the lexicon and how strongly it signals dissatisfaction (1 mild … 3 severe). */
export interface LexiconTerm {
  /** Lower-case phrase, matched on word boundaries (`cancel` does not match `cancelled`'s prefix only). */
  phrase: string;
  weight: 1 | 2 | 3;
}

/**
 * The default lexicon. Weight 3: the customer talks about leaving or legal/contract action.
 * Weight 2: explicit dissatisfaction. Weight 1: friction that is often, not always, negative.
 */
export const NEGATIVE_TERMS: readonly LexiconTerm[] = [
  { phrase: 'cancel', weight: 3 },
  { phrase: 'cancel our contract', weight: 3 },
  { phrase: 'terminate', weight: 3 },
  { phrase: 'termination', weight: 3 },
  { phrase: 'another provider', weight: 3 },
  { phrase: 'switch provider', weight: 3 },
  { phrase: 'looking elsewhere', weight: 3 },
  { phrase: 'not renew', weight: 3 },
  { phrase: 'notice period', weight: 3 },
  { phrase: 'lawyer', weight: 3 },
  { phrase: 'legal action', weight: 3 },
  { phrase: 'unacceptable', weight: 2 },
  { phrase: 'frustrated', weight: 2 },
  { phrase: 'frustrating', weight: 2 },
  { phrase: 'disappointed', weight: 2 },
  { phrase: 'disappointing', weight: 2 },
  { phrase: 'unhappy', weight: 2 },
  { phrase: 'not happy', weight: 2 },
  { phrase: 'complaint', weight: 2 },
  { phrase: 'poor service', weight: 2 },
  { phrase: 'useless', weight: 2 },
  { phrase: 'ridiculous', weight: 2 },
  { phrase: 'waste of time', weight: 2 },
  { phrase: 'let down', weight: 2 },
  { phrase: 'fed up', weight: 2 },
  { phrase: 'still not fixed', weight: 2 },
  { phrase: 'still broken', weight: 2 },
  { phrase: 'third time', weight: 2 },
  { phrase: 'escalate', weight: 1 },
  { phrase: 'chasing', weight: 1 },
  { phrase: 'no response', weight: 1 },
  { phrase: 'slow response', weight: 1 },
  { phrase: 'again', weight: 1 },
  { phrase: 'urgent', weight: 1 },
];

/** Phrases that, right before a term, negate it ("not unacceptable" is rare; "no complaint" is not). */
export const NEGATIONS: readonly string[] = ['no', 'not', 'never', 'without'];

/** What the lexicon found in one text. */
export interface LexiconScore {
  /** Σ weight × occurrences. */
  score: number;
  /** Each matched phrase with its count, longest phrase first. */
  hits: { phrase: string; weight: number; count: number }[];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Score a text against the lexicon. Matching is case-insensitive on whole words; longer phrases are
 * matched first and consume their words, so "cancel our contract" counts once (weight 3), not also
 * as "cancel". A term directly preceded by a negation word ("no complaint") is not counted — except
 * negated-by-design phrases such as "not happy" that start with the negation themselves.
 */
export function scoreText(
  text: string,
  terms: readonly LexiconTerm[] = NEGATIVE_TERMS,
): LexiconScore {
  let rest = ` ${text.toLowerCase().replace(/[^a-z0-9']+/g, ' ')} `;
  const sorted = [...terms].sort((a, b) => b.phrase.length - a.phrase.length);
  const hits: LexiconScore['hits'] = [];
  let score = 0;
  for (const term of sorted) {
    const re = new RegExp(`(\\S+ )?(?<= )${escapeRegExp(term.phrase)}(?= )`, 'g');
    let count = 0;
    rest = rest.replace(re, (match: string, before: string | undefined) => {
      const prev = before?.trim();
      if (prev !== undefined && NEGATIONS.includes(prev)) return match;
      count += 1;
      return `${before ?? ''}#`;
    });
    if (count > 0) {
      hits.push({ phrase: term.phrase, weight: term.weight, count });
      score += term.weight * count;
    }
  }
  return { score, hits };
}

/** Negative-language hits in one note: the weighted lexicon score the loader sums per month. */
export function negativeHitCount(text: string, terms?: readonly LexiconTerm[]): number {
  return scoreText(text, terms).score;
}

/**
 * A 1–5 feedback score from another scale (e.g. HaloPSA's 1–4 smileys, or 0–10 NPS-style), so the
 * loader can hand the engine one scale. Clamped into 1–5.
 */
export function normaliseFeedback(score: number, scaleMin: number, scaleMax: number): number {
  if (!(scaleMax > scaleMin)) return 3;
  const f = (score - scaleMin) / (scaleMax - scaleMin);
  return Math.min(5, Math.max(1, 1 + 4 * f));
}
