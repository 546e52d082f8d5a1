// A second process that reads and writes the cache while an import runs (the import
// runs safely while serve and enrich use the same database). It holds a write lock for HOLD_MS at
// a time, like an enrichment seed's transaction, for DURATION_MS, then reports what it did.
// Usage: node concurrent-writer.mjs <db> <durationMs> <holdMs>
import { openDatabase } from '../../dist/db/database.js';

const [dbPath, durationMs = '5000', holdMs = '40'] = process.argv.slice(2);
const db = openDatabase(dbPath);
const upsert = db.prepare(
  `INSERT INTO shadow_account (account_id, username, source_channel, fetched_at) VALUES (?, ?, 'test', datetime('now'))
   ON CONFLICT(account_id) DO UPDATE SET fetched_at = excluded.fetched_at`,
);
const readEdges = db.prepare('SELECT COUNT(*) FROM archive_followers').pluck();
const pause = new Int32Array(new SharedArrayBuffer(4));
const end = Date.now() + Number(durationMs);
let writes = 0;
let reads = 0;
let lastSeen = 0;
while (Date.now() < end) {
  db.transaction(() => {
    upsert.run(String(1_000 + (writes % 50)), `writer${writes % 50}`);
    Atomics.wait(pause, 0, 0, Number(holdMs)); // hold the write lock
  }).immediate();
  writes++;
  lastSeen = readEdges.get();
  reads++;
  Atomics.wait(pause, 0, 0, 5);
}
db.close();
process.stdout.write(JSON.stringify({ writes, reads, lastSeen }) + '\n');
