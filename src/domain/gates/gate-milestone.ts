/** Evidence a quality gate needs unless policy says otherwise (SPEC §2.4). */
export const DEFAULT_GATE_EVIDENCE = [
  'deliverables',
  'qa-outcomes',
  'customer-acceptance',
  'open-risks',
];

/** A milestone is a quality gate when its name says so ("Gate: UAT sign-off", "… acceptance"). */
export function isGateMilestone(name: string): boolean {
  return /^\s*gate\b|sign-?off|acceptance/i.test(name);
}

/** The gate id of a project milestone (one gate per milestone). */
export function gateIdOf(projectId: number, milestoneId: number): string {
  return `g-${projectId}-${milestoneId}`;
}
