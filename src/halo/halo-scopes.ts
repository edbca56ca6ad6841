/** The HaloPSA scopes Control Tower reads with (least privilege: no `all`). */
export const HALO_READ_SCOPES = [
  'read:projects',
  'read:tickets',
  'read:timesheets',
  'read:contracts',
  'read:customers',
  'read:invoices',
] as const;

/** The read scopes plus the one write scope, used to write decisions back as private notes. */
export const HALO_SCOPES = [...HALO_READ_SCOPES, 'edit:tickets'] as const;
