// One transaction on a connection of its own whose notices (WARNINGs an admin would see in psql) a test reads; always
// rolled back.
import postgres from "postgres";
import { testDatabaseUrl } from "../_database.ts";

/** Runs `fn` in a transaction (constraints immediate) that is rolled back, collecting the server's notices. */
export async function inRolledBackTransaction(fn: (tx: postgres.Sql, notices: postgres.Notice[]) => Promise<void>) {
  const notices: postgres.Notice[] = [];
  const sql = postgres(testDatabaseUrl(), { max: 1, onnotice: (n) => notices.push(n) });
  try {
    await sql.begin(async (tx) => {
      await tx`set constraints all immediate`;
      await fn(tx as unknown as postgres.Sql, notices);
      throw new RollBack();
    }).catch((err) => {
      if (!(err instanceof RollBack)) throw err;
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Thrown to end the test's transaction without keeping its rows. */
class RollBack extends Error {}
