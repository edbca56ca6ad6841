/** Contract and invoice-line records of a managed-services client. */
import { dayMs, DAY_MS, HOUR_MS, isoLocal, isoZ, monthStart } from './calendar';
import type { GeneratorContext } from './generator-context';
import type { HaloRecord } from './record-collection';
import { round2 } from './ticket-store';

/** Add-on contract types a client may hold beside managed services. */
export const ADD_ONS = [
  'Backup as a Service',
  'Security Operations',
  'Microsoft 365 Licensing',
  'Telephony',
  'Block Hours',
  'Firewall Managed Service',
  'Cloud Hosting',
] as const;

export function line(id: number, desc: string, qty: number, unit: number): HaloRecord {
  return {
    id,
    item_shortdescription: desc,
    qty_order: qty,
    unit_price: unit,
    net_amount: round2(qty * unit),
  };
}

/**
 * A contract record with charges left at 0 for the caller to set; `start_day` and `end_day` are
 * generator-only fields the caller deletes before serving.
 */
export function makeContract(
  ctx: GeneratorContext,
  id: number,
  clientId: number,
  clientName: string,
  type: string,
  startDay: number,
  endDay: number,
  term: number,
): HaloRecord {
  const active = endDay >= ctx.asOfDay && startDay <= ctx.asOfDay;
  const expired = endDay < ctx.asOfDay;
  return {
    id,
    client_id: clientId,
    client_name: clientName,
    ref: `${type.replace(/[^A-Z]/g, '')}-${clientId}-${id}`,
    start_date: isoLocal(dayMs(startDay)),
    end_date: isoLocal(dayMs(endDay)),
    expired,
    billingperiod: 'Monthly',
    status: expired ? 'Expired' : active ? 'Active' : 'Pending',
    contract_status: expired ? 2 : 1,
    periodchargeamount: 0,
    next_invoice_date: expired ? null : isoLocal(dayMs(monthStart(ctx.asOfDay, 1))),
    contracttype_name: type,
    active,
    last_modified: isoZ(dayMs(startDay) - 14 * DAY_MS + 10 * HOUR_MS),
    customfields: [],
    termmonths: term,
    rollingcontract: false,
    costperperiod: 0,
    chargehoursperperiod: 0,
    contract_prepaybalance: 0,
    last_update: isoZ(Math.min(dayMs(startDay) - 14 * DAY_MS + 10 * HOUR_MS, ctx.asOfEndMs)),
    start_day: startDay,
    end_day: endDay,
  };
}
