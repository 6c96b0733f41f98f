import { markSuperseded, printJobById, recentPrintJobs, setReplacesId } from './print-jobs.store';
import type { ClerkRow } from '../session/clerks.store';
import type { ServiceContext } from '../../services/context';
import { writeTransaction } from '../../ledger/transaction';
import { reprintOtherJob, requirePrintJob } from './print-queue';
import { reprintReceipt } from '../receipts/receipts';
import { jobView } from './printer';
import type { ReceiptPart } from '../../devices/printer/template-data';

/**
 * Prints a job again. A receipt goes through the receipt.reprint use case (ledger event and a 补打
 * job, in one transaction) and its new job names the one it replaces; a job still waiting is left.
 */
export function reprintJob(ctx: ServiceContext, clerk: ClerkRow, jobId: string) {
  const job = requirePrintJob(ctx, jobId);
  if (job.state === 'queued' || job.state === 'sending') {
    return { job: jobView(job), alreadyQueued: true };
  }
  const newId = writeTransaction(ctx, () => {
    if (job.template === 'receipt' && job.subject_id) {
      if (job.state === 'unknown') {
        markSuperseded(ctx.db, job.id);
      }
      // the part this job printed (客户联, 存根联 or 记账联), marked 补打
      const copy = (JSON.parse(job.data) as { copy?: ReceiptPart }).copy ?? 'customer';
      reprintReceipt(ctx, clerk, job.subject_id, copy);
      const latest = recentPrintJobs(ctx.db, 1, false)[0]!;
      setReplacesId(ctx.db, latest.id, job.id);
      return latest.id;
    }
    return reprintOtherJob(ctx, job);
  });
  return { job: jobView(printJobById(ctx.db, newId)!), alreadyQueued: false };
}
