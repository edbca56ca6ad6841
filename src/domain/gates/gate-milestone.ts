/** A milestone is a quality gate when its name says so ("Gate: UAT sign-off", "… acceptance"). */
export function isGateMilestone(name: string): boolean {
  return /^\s*gate\b|sign-?off|acceptance/i.test(name);
}

/** The gate id of a project milestone (one gate per milestone). */
export function gateIdOf(projectId: number, milestoneId: number): string {
  return `g-${projectId}-${milestoneId}`;
}
