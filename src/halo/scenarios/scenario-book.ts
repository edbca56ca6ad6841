/**
 * The shared state of one independent-scenario generation: the simulator's stores being filled, the
 * dataset's day bounds, id counters and the MSP's staff.
 */
import { actionData, ActionStore } from '../simulator/action-store';
import { dayMs, dayOf, HOUR_MS, isoZ } from '../simulator/calendar';
import { NameBook } from '../simulator/names';
import type { HaloRecord } from '../simulator/record-collection';
import { ticketData, TicketStore } from '../simulator/ticket-store';
import { timesheetData, TimesheetStore } from '../simulator/timesheet-store';

/** The MSP's agents by role (ids), plus their records as `/api/Agent` serves them. */
export interface Staff {
  pms: number[];
  engineers: number[];
  accountManagers: number[];
  records: HaloRecord[];
}

const STAFF_NAMES: ReadonlyArray<[string, string]> = [
  ['Hannah', 'Whitfield'],
  ['Marcus', 'Oyelaran'],
  ['Ingrid', 'Solberg'],
  ['Declan', 'Murphy'],
  ['Yusuf', 'Demir'],
  ['Carla', 'Mendes'],
  ['Piotr', 'Wozniak'],
  ['Aisha', 'Karimi'],
  ['Ben', 'Thornton'],
  ['Lucia', 'Ferraro'],
  ['Niall', 'Brennan'],
  ['Sofia', 'Lindqvist'],
  ['Theo', 'Papadakis'],
  ['Grace', 'Adebayo'],
  ['Felix', 'Hartmann'],
  ['Maya', 'Rosenberg'],
  ['Oscar', 'Nilsen'],
  ['Keira', 'Doyle'],
];

/** Where the generation writes and the bounds it respects. */
export class ScenarioBook {
  readonly names = new NameBook();
  readonly tickets: TicketStore;
  readonly actions: ActionStore;
  readonly timesheets: TimesheetStore;
  /** Day number of asOf ("today"): every record is dated before it. */
  readonly asOfDay: number;
  /** The last day that carries data (the day before asOf). */
  readonly lastDay: number;
  readonly staff: Staff;
  private milestoneSeq = 0;
  private milestoneLinkSeq = 0;

  constructor(asOf: string) {
    this.asOfDay = dayOf(asOf);
    this.lastDay = this.asOfDay - 1;
    this.tickets = new TicketStore(this.names, ticketData(16_384));
    this.actions = new ActionStore(this.names, actionData(65_536));
    this.timesheets = new TimesheetStore(this.tickets, timesheetData(32_768));
    this.staff = this.hireStaff();
  }

  nextMilestoneId(): number {
    return ++this.milestoneSeq;
  }

  /** Id of a milestone's link to one of its tasks (`milestones[].tickets[].id`). */
  nextMilestoneLinkId(): number {
    return ++this.milestoneLinkSeq;
  }

  /** Epoch ms of a time of day (hours after midnight UTC) on a day number. */
  at(day: number, hour: number): number {
    return dayMs(day) + Math.round(hour * 4) * (HOUR_MS / 4);
  }

  /** Releases spare capacity once generation is done. */
  compact(): void {
    this.tickets.table.compact();
    this.actions.compact();
    this.timesheets.compact();
  }

  private hireStaff(): Staff {
    const roles: ReadonlyArray<[keyof Omit<Staff, 'records'>, string, string, number]> = [
      ['pms', 'Project Management', 'Project Manager', 4],
      ['engineers', 'Engineering', 'Engineer', 11],
      ['accountManagers', 'Account Management', 'Account Manager', 3],
    ];
    const staff: Staff = { pms: [], engineers: [], accountManagers: [], records: [] };
    let id = 2;
    for (const [key, team, title, n] of roles) {
      for (let k = 0; k < n; k++) {
        const [first, last] = STAFF_NAMES[(id - 2) % STAFF_NAMES.length] ?? ['Agent', 'Smith'];
        const name = `${first} ${last}`;
        staff.records.push({
          id,
          name,
          email: `${first}.${last}@northgate-it.example`.toLowerCase(),
          team,
          jobtitle: title,
          isdisabled: false,
          inactive: false,
          last_update: isoZ(this.at(this.asOfDay - 700, 9)),
        });
        this.names.setAgent(id, name);
        staff[key].push(id);
        id++;
      }
    }
    return staff;
  }
}
