import type { ClientContact, ClientContacts } from '../app/renewals/client-contacts.port';
import type { Db } from './db';

/** A client's active contacts from the HaloPSA mirror (`halo_contacts`). */
export class ClientContactsRepository implements ClientContacts {
  constructor(
    private readonly db: Db,
    readonly tenantId: string,
  ) {}

  async activeContacts(clientId: number): Promise<ClientContact[]> {
    const rows = await this.db.query<{
      id: string | number;
      client_id: string | number;
      name: string;
      email: string | null;
      job_title: string | null;
    }>(
      `SELECT id, client_id, name, email, job_title FROM halo_contacts
        WHERE tenant_id = $1 AND client_id = $2 AND NOT inactive AND coalesce(name, '') <> ''
        ORDER BY name, id`,
      [this.tenantId, clientId],
    );
    return rows.map((r) => ({
      contactId: Number(r.id),
      clientId: Number(r.client_id),
      name: r.name,
      email: r.email ?? null,
      jobTitle: r.job_title ?? null,
    }));
  }
}
