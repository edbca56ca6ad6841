/** A client's person in HaloPSA (an end-user), offered for the stakeholder map. */
export interface ClientContact {
  contactId: number;
  clientId: number;
  name: string;
  email: string | null;
  jobTitle: string | null;
}

/** The client's people, from the HaloPSA mirror. */
export interface ClientContacts {
  /** A client's active contacts, by name. */
  activeContacts(clientId: number): Promise<ClientContact[]>;
}
