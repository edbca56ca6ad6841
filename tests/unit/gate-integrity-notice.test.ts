/**
 * The gate panel's integrity notice (tab/src/views/gate-integrity.ts): the frozen pack's files as
 * the server re-verified them — verified, a visibly flagged mismatch naming each file, or a store
 * that could not be read.
 */
import type { PackIntegrityDto } from '../../src/api/dto';
import { integrityNotice } from '../../tab/src/views/gate-integrity';

const frozen = 'a'.repeat(64);
const file = (name: string, stored: string | null): PackIntegrityDto['files'][number] => ({
  fileId: `f-${name}`,
  name,
  frozenSha256: frozen,
  storedSha256: stored,
  ok: stored === frozen,
});
const check = (
  status: PackIntegrityDto['status'],
  files: PackIntegrityDto['files'],
): PackIntegrityDto => ({ status, checkedAt: '2026-11-23T12:00:00Z', files });

describe('the gate panel integrity notice', () => {
  test('says nothing when the gate has no frozen pack to check', () => {
    expect(integrityNotice(null)).toBeNull();
  });

  test('a verified pack is a success notice counting its files', () => {
    expect(integrityNotice(check('verified', [file('plan.pdf', frozen)]))).toEqual({
      intent: 'success',
      title: 'Evidence verified: 1 file matches the frozen pack.',
      lines: [],
    });
    expect(integrityNotice(check('verified', []))?.title).toMatch(/holds no stored file/);
  });

  test('a mismatch is flagged as an error naming each changed or missing file, not the good ones', () => {
    const notice = integrityNotice(
      check('mismatch', [
        file('plan.pdf', frozen),
        file('uat.xlsx', 'b'.repeat(64)),
        file('signoff.pdf', null),
      ]),
    );
    expect(notice).toEqual({
      intent: 'error',
      title: expect.stringMatching(/^Evidence mismatch: 2 files no longer match the frozen pack/),
      lines: [
        `uat.xlsx: stored sha256 ${'b'.repeat(12)} ≠ frozen ${'a'.repeat(12)}`,
        `signoff.pdf: gone from the store (frozen sha256 ${'a'.repeat(12)})`,
      ],
    });
  });

  test('an unreadable store is a warning, not a verification', () => {
    expect(integrityNotice(check('unavailable', []))).toMatchObject({
      intent: 'warning',
      title: expect.stringMatching(/not verified/),
    });
  });
});
