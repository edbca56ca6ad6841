/** The roles a person can hold (SPEC §1), in the order settings and help texts list them. */
export const ROLES = [
  'pm',
  'pmo_lead',
  'delivery_director',
  'account_manager',
  'cs_lead',
  'msp_owner',
  'admin',
] as const;

/** One role of {@link ROLES}. */
export type Role = (typeof ROLES)[number];
