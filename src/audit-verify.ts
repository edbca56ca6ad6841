/**
 * `npm run audit:verify [-- --tenant <id>]`: checks every tenant's audit hash chain (or one) in the
 * configured database and names the first broken entry. Exit 0 when every chain is intact, 1 when
 * one is broken, 2 on bad arguments or configuration.
 *
 * Demo mode reads the embedded database under DATA_DIR: stop `npm start` first (one process at a
 * time may open an embedded database).
 */
import { auditTenants, verifyAuditChain, type AuditVerification } from './audit/audit-log';
import { ConfigError, loadDatabaseConfigFromProcess } from './config';
import type { Db } from './store/db';
import { openDatabase, type DatabaseTarget } from './store/open-db';

/** Verifies the chains and returns the report lines and whether all are intact. */
export async function auditVerify(
  db: Db,
  tenant: string | null,
): Promise<{ ok: boolean; lines: string[]; results: AuditVerification[] }> {
  const tenants = tenant === null ? await auditTenants(db) : [tenant];
  const results: AuditVerification[] = [];
  for (const id of tenants) results.push(await verifyAuditChain(db, id));
  const lines = results.map(describe);
  if (results.length === 0) lines.push('audit:verify: no audit entries yet');
  return { ok: results.every((r) => r.ok), lines, results };
}

function describe(result: AuditVerification): string {
  if (result.ok)
    return `tenant ${result.tenantId}: ${result.entries} entries, chain intact (head ${result.headHash.slice(0, 12)})`;
  const where =
    result.entry && result.entry.seq === result.brokenSeq
      ? ` (${result.entry.action} on ${result.entry.subjectType} ${result.entry.subjectId} at ${result.entry.at})`
      : '';
  return `tenant ${result.tenantId}: BROKEN at entry ${result.brokenSeq ?? 'end'}${where}: ${result.problem}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const i = args.indexOf('--tenant');
  const tenant = i >= 0 ? (args[i + 1] ?? '') : null;
  if (tenant === '') {
    process.stderr.write('audit:verify: --tenant needs a tenant id\n');
    process.exit(2);
  }
  let target: DatabaseTarget;
  try {
    const database = loadDatabaseConfigFromProcess();
    target = database.url
      ? { url: database.url, entraClientId: database.entraClientId }
      : { dataDir: database.dataDir };
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const db = await openDatabase(target);
  try {
    const report = await auditVerify(db, tenant);
    report.lines.forEach((line, i) =>
      (report.results[i]?.ok === false ? process.stderr : process.stdout).write(`${line}\n`),
    );
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `audit:verify failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(2);
  });
}
