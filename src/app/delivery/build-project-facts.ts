/**
 * Moved to src/domain/delivery (pure rules); this re-export keeps callers outside the delivery area
 * compiling until they import the domain modules directly.
 */
export { buildProjectFacts, indexDeliveryHistory } from '../../domain/delivery/build-project-facts';
export type { IndexedProject } from '../../domain/delivery/build-project-facts';
export { DEFAULT_GATE_EVIDENCE, isGateMilestone } from '../../domain/delivery/gate-milestone';
