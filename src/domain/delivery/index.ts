/** Public API of the delivery control loop's domain (pure judgement: no I/O, no wall clock). */
export * from './project-facts';
export * from './baseline';
export * from './policy';
export * from './progress';
export * from './forecast';
export * from './earned-value';
export * from './health-score';
export * from './health-snapshot';
export * from './escalation';
export * from './escalation-human-actions';
export * from './naive-rules';
export * from './replay-scoring';
export * from './kpis';
export * from './weekly-report';
export * from './post-project-review';
