/** The renewal-and-uplift judgement (SPEC §3): pure functions and types, re-exported in one place. */
export * from './contract-facts';
export * from './sentiment-lexicon';
export * from './renewal-policy';
export * from './renewal-policy-validation';
export * from './readiness-score';
export * from './readiness-change';
export * from './renewal-window';
export * from './uplift';
export * from './concession';
export * from './renewal-kpis';
export * from './governance-review';
export * from './policy-tuning';
export * from './renewal-timeline';
export * from './churn-flagging';
export * from './renewal-outcome';
