/**
 * The project side of an independent portfolio: allocates archetypes, draws each project until its
 * run is a faithful instance of the archetype, writes it and labels it from its own run.
 */
import { isoDate } from '../simulator/calendar';
import type { ProjectIntent } from '../simulator/dataset';
import type { Rng } from '../simulator/prng';
import {
  drawProject,
  PROJECT_MIX,
  projectIntent,
  rejection,
  type ProjectArchetype,
} from './project-archetypes';
import { writeProject, type ProjectClient } from './project-records';
import { runProject, runVisibility } from './project-run';
import type { ScenarioBook } from './scenario-book';

const MAX_ATTEMPTS = 80;

/** How many projects of each archetype a portfolio of `n` holds (each at least once when n allows). */
export function allocate<A extends string>(
  mix: ReadonlyArray<[A, number]>,
  n: number,
  filler: A,
): A[] {
  const total = mix.reduce((s, [, w]) => s + w, 0);
  const counts = new Map<A, number>(
    mix.map(([a, w]) => [a, Math.max(1, Math.round((w * n) / total))]),
  );
  const sum = (): number => [...counts.values()].reduce((s, c) => s + c, 0);
  while (sum() > n) {
    const [a, c] = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]!;
    if (c <= 1) break;
    counts.set(a, c - 1);
  }
  while (sum() < n) counts.set(filler, (counts.get(filler) ?? 0) + 1);
  return [...counts.entries()].flatMap(([a, c]) => Array.from({ length: c }, () => a)).slice(0, n);
}

/** Generates `n` projects for the given clients; returns their truth labels. */
export function generateProjects(
  book: ScenarioBook,
  rng: Rng,
  n: number,
  clients: readonly ProjectClient[],
): ProjectIntent[] {
  const slots = rng.shuffle(allocate<ProjectArchetype>(PROJECT_MIX, n, 'healthy-on-track'));
  const seen = new Map<ProjectArchetype, number>();
  const intents: ProjectIntent[] = [];
  slots.forEach((archetype, slot) => {
    const variant = seen.get(archetype) ?? 0;
    seen.set(archetype, variant + 1);
    const slotRng = rng.fork(slot + 1);
    const pm = slotRng.pick(book.staff.pms);
    const team = slotRng.shuffle([...book.staff.engineers]).slice(0, slotRng.int(2, 3));
    let why = '';
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const r = slotRng.fork(attempt + 1);
      const drawn = drawProject(archetype, r, book.lastDay, team, variant);
      const run = runProject(drawn.plan, book.lastDay, r.fork(7));
      const vis = runVisibility(run, book.lastDay);
      const reason = rejection(drawn, run, vis, book.lastDay);
      if (reason !== undefined) {
        why = reason;
        continue;
      }
      const eligible = clients.filter((c) => c.since <= drawn.plan.start - 30);
      const client = slotRng.pick(eligible.length > 0 ? eligible : clients);
      const owner = drawn.facts.missing === 'no-owner' ? 0 : pm;
      const id = writeProject(book, drawn, run, client, owner);
      intents.push(projectIntent(id, drawn, run, book.lastDay, isoDate));
      return;
    }
    throw new Error(`No faithful '${archetype}' project after ${MAX_ATTEMPTS} draws (${why})`);
  });
  return intents.sort((a, b) => a.projectId - b.projectId);
}
