/**
 * Moved: the history types to src/domain/delivery/delivery-history.ts, `classifyStatus` to
 * src/domain/delivery/status-class.ts, the reader port to ./delivery-history.port.ts. This re-export
 * keeps callers outside the delivery area compiling until they import those directly.
 */
export type * from '../../domain/delivery/delivery-history';
export { classifyStatus, type StatusClass } from '../../domain/delivery/status-class';
export type { DeliveryHistoryReader } from './delivery-history.port';
