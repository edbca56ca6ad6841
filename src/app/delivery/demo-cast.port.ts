import type { Role } from '../../domain/shared/roles';

/** A demo user: a Microsoft 365 Agents Playground persona playing one MSP role. */
export interface DemoPersona {
  aadObjectId: string;
  name: string;
  /** The HaloPSA agent this persona is, by e-mail (null when the role has no HaloPSA counterpart). */
  email: string | null;
  roles: Role[];
}

/** The demo cast (demo mode), derived from the synced data (adapter in src/demo). */
export interface DemoCast {
  personas(): Promise<DemoPersona[]>;
}

/** The address a demo persona signs in with: its HaloPSA e-mail, else one made from its name. */
export function signInEmail(persona: Pick<DemoPersona, 'email' | 'name'>): string {
  return persona.email ?? `${persona.name.toLowerCase().replace(/[^a-z]+/g, '.')}@demo.invalid`;
}
