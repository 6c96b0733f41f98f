import { eventPayloads } from '@heating-cashier/core/contract/events';
import {
  addTenderTotals,
  collectedFen,
  emptyTenderTotals,
  pendingFen,
  tenderTotalsOf,
  type TenderTotals,
} from '@heating-cashier/core/tenders';
import { stmt } from '../../ledger/statements';
import { sumDayTotalColumns } from '../cash/cash.store';
import type { ServiceContext } from '../../services/context';
import { nextBusinessDate } from '../cash/day-closures';
import { serviceKpis } from '../service/kpis';

/** The subsidy receipt event (another area's); counted only when this build knows it. */
const SUBSIDY_EVENT = 'subsidy.received';

interface Line {
  receiptCount: number;
  voidCount: number;
  collectedFen: number;
  byTender: TenderTotals;
  chequePendingFen: number;
  chequeClearedFen: number;
  subsidyCount: number;
  subsidyReceivedFen: number;
}

const empty = (): Line => ({
  receiptCount: 0,
  voidCount: 0,
  collectedFen: 0,
  byTender: emptyTenderTotals(),
  chequePendingFen: 0,
  chequeClearedFen: 0,
  subsidyCount: 0,
  subsidyReceivedFen: 0,
});

/**
 * 收费员业绩 (the seed's 提成 basis): per clerk, what was collected in [from, to]: cash + card +
 * QR/transfer of the valid receipts by payment date (business date of the receipt), plus the
 * cheques this clerk took that cleared in the period, by the day the clearance was recorded — as in
 * the daily report, so a closed day never changes. Cheques taken in the period are listed as pending
 * on their payment day, never as collected there. Subsidy receipts (财政补贴到账) are a separate
 * line. Read from the day aggregates the projector keeps (daily_clerk_totals) and the cheque
 * decisions of the period — no scan of receipts.
 */
export function collectorReport(ctx: ServiceContext, from: string, to: string) {
  const rows = stmt(
    ctx.db,
    `SELECT t.clerk_id AS clerkId, coalesce(k.code, '') AS clerkCode, coalesce(k.name, t.clerk_id) AS clerkName,
            sum(t.receipts) AS receipts, sum(t.voids) AS voids, ${sumDayTotalColumns('t.')}
     FROM daily_clerk_totals t LEFT JOIN clerks k ON k.id = t.clerk_id
     WHERE t.business_date BETWEEN ? AND ?
     GROUP BY t.clerk_id ORDER BY clerkCode`,
  ).all(from, to) as ({
    clerkId: string;
    clerkCode: string;
    clerkName: string;
    receipts: number;
    voids: number;
  } & TenderTotals)[];
  const cleared = stmt(
    ctx.db,
    `SELECT r.clerk_id AS clerkId, coalesce(k.code, '') AS clerkCode, coalesce(k.name, r.clerk_id) AS clerkName,
            sum(d.amount_fen) AS fen
     FROM cheque_decisions d JOIN receipts r ON r.id = d.receipt_id LEFT JOIN clerks k ON k.id = r.clerk_id
     WHERE d.business_date BETWEEN ? AND ? AND d.status = 'cleared'
     GROUP BY r.clerk_id`,
  ).all(from, to) as { clerkId: string; clerkCode: string; clerkName: string; fen: number }[];
  const tracked = Object.hasOwn(eventPayloads, SUBSIDY_EVENT);
  const subsidies = tracked
    ? (stmt(
        ctx.db,
        // the projection of subsidy.received (one row per event, its business date and clerk), by
        // its date index — not a scan of the event log
        `SELECT e.clerk_id AS clerkId, coalesce(k.code, '') AS clerkCode, coalesce(k.name, e.clerk_id) AS clerkName,
                count(*) AS n, coalesce(sum(e.amount_fen), 0) AS fen
         FROM subsidy_receipts e LEFT JOIN clerks k ON k.id = e.clerk_id
         WHERE e.business_date BETWEEN ? AND ? GROUP BY e.clerk_id`,
      ).all(from, to) as {
        clerkId: string | null;
        clerkCode: string;
        clerkName: string | null;
        n: number;
        fen: number;
      }[])
    : [];
  const lines = new Map<string, Line & { clerkId: string; clerkCode: string; clerkName: string }>();
  const lineOf = (clerkId: string, clerkCode: string, clerkName: string) => {
    let l = lines.get(clerkId);
    if (!l) {
      l = { ...empty(), clerkId, clerkCode, clerkName };
      lines.set(clerkId, l);
    }
    return l;
  };
  for (const r of rows) {
    const l = lineOf(r.clerkId, r.clerkCode, r.clerkName);
    l.receiptCount = r.receipts;
    l.voidCount = r.voids;
    l.byTender = tenderTotalsOf(r);
    l.collectedFen += collectedFen(l.byTender);
    l.chequePendingFen = pendingFen(l.byTender);
  }
  for (const c of cleared) {
    const l = lineOf(c.clerkId, c.clerkCode, c.clerkName);
    l.chequeClearedFen = c.fen;
    l.collectedFen += c.fen;
  }
  for (const s of subsidies) {
    const l = lineOf(s.clerkId ?? '-', s.clerkCode, s.clerkName ?? '-');
    l.subsidyCount = s.n;
    l.subsidyReceivedFen = s.fen;
  }
  const clerks = [...lines.values()].sort((a, b) => a.clerkCode.localeCompare(b.clerkCode));
  const total = clerks.reduce<Line>((t, l) => {
    t.receiptCount += l.receiptCount;
    t.voidCount += l.voidCount;
    t.collectedFen += l.collectedFen;
    t.chequePendingFen += l.chequePendingFen;
    t.chequeClearedFen += l.chequeClearedFen;
    t.subsidyCount += l.subsidyCount;
    t.subsidyReceivedFen += l.subsidyReceivedFen;
    addTenderTotals(t.byTender, l.byTender);
    return t;
  }, empty());
  return {
    from,
    to,
    clerks,
    total,
    subsidy: { tracked, count: total.subsidyCount, receivedFen: total.subsidyReceivedFen },
    serviceKpis: serviceKpis(ctx, { from, to: nextBusinessDate(to) }),
  };
}
