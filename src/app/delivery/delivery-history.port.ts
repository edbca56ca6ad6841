import type { DeliveryHistory } from '../../domain/delivery/delivery-history';

/** The port the use cases load a tenant's dated delivery history through (SQL adapter in src/store). */
export interface DeliveryHistoryReader {
  load(tenantId: string): Promise<DeliveryHistory>;
}
