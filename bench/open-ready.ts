/**
 * Child process of the benchmark: `node --import tsx bench/open-ready.ts <db> <queries.json> <session>`.
 * Times openTerminal (open + migrate check) through the first search result, then runs the queries
 * and reports the process RSS. Prints one JSON line on stdout.
 */
import { readFileSync } from 'node:fs';
import { dispatch } from '../src-main/api/dispatch';
import { openTerminal } from '../src-main/app/open-terminal';

const [dbFile, queriesFile, session] = process.argv.slice(2);
if (!dbFile || !queriesFile || !session) {
  process.stderr.write('usage: open-ready.ts <db> <queries.json> <session>\n');
  process.exit(2);
}
const queries = JSON.parse(readFileSync(queriesFile, 'utf8')) as string[];

const started = performance.now();
const terminal = openTerminal({ dbFile });
const first = await dispatch(terminal.ctx, 'household.search', { session, query: queries[0] });
const openReadyMs = performance.now() - started;
if (!first.ok) throw new Error(`first search failed: ${first.error.code}`);
const rssAfterOpenMb = process.memoryUsage().rss / 2 ** 20;

let failures = 0;
for (const query of queries.slice(1)) {
  const r = await dispatch(terminal.ctx, 'household.search', { session, query });
  if (!r.ok) failures++;
}
const mem = process.memoryUsage();
terminal.close();
process.stdout.write(
  `${JSON.stringify({
    openReadyMs,
    rssAfterOpenMb,
    rssMb: mem.rss / 2 ** 20,
    heapUsedMb: mem.heapUsed / 2 ** 20,
    searches: queries.length,
    failures,
  })}\n`,
);
