/**
 * A client's people as HaloPSA serves them at `/api/Users`: a managing director, an IT manager and
 * a finance manager per client, and on every fifth client an IT manager who has left (inactive).
 * Derived from the client alone, so adding them moves no generator's random stream.
 */
import type { HaloRecord } from './record-collection';

const FIRST = [
  'Alice',
  'Ben',
  'Chloe',
  'Daniel',
  'Erin',
  'Felix',
  'Grace',
  'Hugo',
  'Isla',
  'Jonas',
  'Kira',
  'Liam',
  'Maya',
  'Noah',
  'Olivia',
  'Pavel',
  'Quinn',
  'Rosa',
  'Samir',
  'Tara',
];
const LAST = [
  'Abbott',
  'Brennan',
  'Carver',
  'Dalton',
  'Ellis',
  'Foster',
  'Garcia',
  'Hale',
  'Iqbal',
  'Jensen',
  'Keller',
  'Lowe',
  'Moreno',
  'Nakamura',
  'Osei',
  'Price',
  'Reyes',
  'Stone',
  'Turner',
];
const TITLES = ['Managing Director', 'IT Manager', 'Finance Manager', 'IT Manager'] as const;

/** The contact id of a client's k-th person (ids of one client are consecutive). */
export const contactIdOf = (clientId: number, k: number): number => 200_000 + clientId * 10 + k + 1;

/** The people of one client, at its head-office site. */
export function clientContacts(
  client: { id: number; name: string },
  site: { id: number; name: string },
  lastUpdate: string,
): HaloRecord[] {
  const domain = `${client.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
  const count = client.id % 5 === 0 ? 4 : 3;
  return Array.from({ length: count }, (_, k) => {
    const n = client.id * 4 + k;
    const firstname = FIRST[(n * 7) % FIRST.length] ?? 'Alex';
    const surname = LAST[(n * 11 + client.id) % LAST.length] ?? 'Smith';
    return {
      id: contactIdOf(client.id, k),
      name: `${firstname} ${surname}`,
      firstname,
      surname,
      emailaddress: `${firstname}.${surname}@${domain}`.toLowerCase(),
      jobtitle: TITLES[k] ?? 'Staff',
      client_id: client.id,
      client_name: client.name,
      site_id: site.id,
      site_name: site.name,
      inactive: k === 3,
      isimportantcontact: k === 0,
      last_update: lastUpdate,
    };
  });
}
