/** State shared by the parts of the generator while a dataset is being built. */
import type { ActionStore } from './action-store';
import type { NameBook } from './names';
import type { TicketStore } from './ticket-store';
import type { TimesheetStore } from './timesheet-store';

/** The stores and people the generator writes into. */
export interface GeneratorContext {
  asOfDay: number;
  /** End of the asOf day (23:59:59.999 UTC): nothing is dated later. */
  asOfEndMs: number;
  names: NameBook;
  tickets: TicketStore;
  actions: ActionStore;
  timesheets: TimesheetStore;
  pms: number[];
  engineers: number[];
  accountManagers: number[];
  /** Allocates the next milestone id. */
  nextMilestoneId(): number;
}
