import type { CommandName } from '@heating-cashier/core/contract/commands';

/**
 * The read-only heavy commands: with ledger workers running (`ctx.runtime.offload`), `dispatch`
 * runs them in a worker thread on its own read connection, so the counter's search, payment and
 * printing never wait for them. Each must write nothing to the ledger (a worker's connection is
 * read-only: a write fails there; tests/integration/app/ledger-workers.test.ts runs every one).
 */
export const OFF_THREAD_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'report.daily',
  'report.monthly',
  'report.collector',
  'report.subsidy',
  'report.relief',
  'report.export',
  'dunning.list',
  'dunning.export',
  'service.export',
  'card.report',
]);
