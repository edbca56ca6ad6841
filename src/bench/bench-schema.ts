import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** A fresh PostgreSQL schema like production's database, or null when none is reachable. */
export async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> } | null> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const admin = new Client({ connectionString: url });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    drop: async () => {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
