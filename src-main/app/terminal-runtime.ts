// The one place the terminal's runtime record is built (ServiceContext.runtime): every long-running
// part and every piece of in-process state a use case may meet, idle until the composition root
// starts it (openTerminal: sync worker, card terminal; startRuntime: printing, PDF, backup schedule).
import type { TerminalRuntime } from '../services/context';
import { Backups } from '../features/backup/backups';
import { CardTerminalSlot } from '../features/card/card-payments';
import { QrSlot } from '../features/qr/qr-payments';
import { PoleDisplaySlot } from '../features/pole/pole-display';
import { ImportJobs } from '../features/import/master-import';
import { Printing } from '../features/printing/print-queue';
import { Documents } from '../features/reports/documents/export';
import { Diagnostics } from '../features/terminal/diagnostics';
import { PushBus } from '../features/terminal/push';
import { CustomerDisplays } from '../features/customer/displays';
import { PinLockout } from '../features/session/pin-lockout';
import { FirstRun } from '../features/setup/first-run';
import { LedgerIntegrity } from '../features/terminal/integrity';
import { Updates } from '../features/updates/updates';
import { ServiceClock } from '../features/service/service-clock';

export function createTerminalRuntime(): TerminalRuntime {
  return {
    printing: new Printing(),
    card: new CardTerminalSlot(),
    qr: new QrSlot(),
    pole: new PoleDisplaySlot(),
    push: new PushBus(),
    customer: new CustomerDisplays(),
    backups: new Backups(),
    diagnostics: new Diagnostics(),
    imports: new ImportJobs(),
    documents: new Documents(),
    sync: null,
    pins: new PinLockout(),
    integrity: new LedgerIntegrity(),
    setup: new FirstRun(),
    service: new ServiceClock(),
    updates: new Updates(),
    offload: null,
  };
}
