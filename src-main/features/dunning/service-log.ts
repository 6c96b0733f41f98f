import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import type { ClerkRow } from '../session/clerks.store';
import { appendEvent } from '../../ledger/event-log';
import { uuidv7 } from '../../ledger/ids';
import {
  complaintById,
  complaintsOf,
  complaintUpdatesOf,
  lastValveAction,
  temperaturesOf,
  valveOperationsOf,
  type ComplaintRow,
  type ComplaintUpdateRow,
} from './service-log.store';
import { ServiceError, type ServiceContext } from '../../services/context';
import { today, writeTransaction } from '../../ledger/transaction';
import type { Doc } from '../reports/documents/model';
import { requireHousehold } from '../households/households';
import { householdSummary } from '../receipts/views';
import { recordHouseholdEvent } from './household-event';
import { docBase, xlsxFile } from './documents';

/**
 * The household service log (from the seed's work plans): room temperatures (测温), complaints (投诉)
 * with their status, and valve lock / unlock records (锁闭阀). Every entry is a ledger event.
 */

function complaintView(r: ComplaintRow, updates: ComplaintUpdateRow[]) {
  return {
    id: r.id,
    category: r.category,
    text: r.text,
    status: r.status,
    openedAt: r.opened_at,
    openedBy: r.opener_name,
    updatedAt: r.updated_at,
    updates: updates
      .filter((u) => u.complaint_id === r.id)
      .map((u) => ({ status: u.status, note: u.note, clerkName: u.clerk_name, at: u.updated_at })),
  };
}

export function serviceLog(ctx: ServiceContext, householdId: string) {
  const h = requireHousehold(ctx, householdId);
  const updates = complaintUpdatesOf(ctx.db, householdId);
  return {
    household: householdSummary(ctx.db, h),
    temperatures: temperaturesOf(ctx.db, householdId),
    complaints: complaintsOf(ctx.db, householdId).map((c) => complaintView(c, updates)),
    valves: valveOperationsOf(ctx.db, householdId),
    valveState: lastValveAction(ctx.db, householdId),
  };
}

export function recordTemperature(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'service.temperature'>,
) {
  const { householdId } = input;
  recordHouseholdEvent(ctx, clerk, householdId, 'service.temperatureRecorded', (readingId) => ({
    readingId,
    householdId,
    room: input.room,
    tenthsC: input.tenthsC,
    outdoorTenthsC: input.outdoorTenthsC ?? null,
    note: input.note,
  }));
  return temperaturesOf(ctx.db, householdId, 1)[0]!;
}

function complaintOut(ctx: ServiceContext, complaintId: string) {
  const c = complaintById(ctx.db, complaintId);
  if (!c) throw new ServiceError('COMPLAINT_NOT_FOUND');
  const full = complaintsOf(ctx.db, c.household_id).find((x) => x.id === complaintId)!;
  return complaintView(full, complaintUpdatesOf(ctx.db, c.household_id));
}

export function openComplaint(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'service.complaint'>,
) {
  const { householdId, category, text } = input;
  const complaintId = recordHouseholdEvent(
    ctx,
    clerk,
    householdId,
    'service.complaintOpened',
    (id) => ({
      complaintId: id,
      householdId,
      category,
      text,
    }),
  );
  return complaintOut(ctx, complaintId);
}

/** open → in_progress → closed; a closed complaint can be reopened (status open) with a note. */
export function updateComplaint(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'service.complaintStatus'>,
) {
  const c = complaintById(ctx.db, input.complaintId);
  if (!c) throw new ServiceError('COMPLAINT_NOT_FOUND');
  if (c.status === input.status) {
    throw new ServiceError('COMPLAINT_STATUS_UNCHANGED', { status: input.status });
  }
  writeTransaction(ctx, (append) =>
    appendEvent(
      append,
      'service.complaintUpdated',
      { complaintId: input.complaintId, status: input.status, note: input.note },
      clerk.id,
    ),
  );
  return complaintOut(ctx, input.complaintId);
}

/**
 * A valve lock / unlock. Locking a valve that is already locked (or unlocking an unlocked one) is
 * refused: the record would contradict itself.
 */
export function recordValve(
  ctx: ServiceContext,
  clerk: ClerkRow,
  input: ParsedInput<'service.valve'>,
) {
  requireHousehold(ctx, input.householdId);
  const valveOpId = uuidv7(ctx.clock().getTime());
  writeTransaction(ctx, (append) => {
    const last = lastValveAction(ctx.db, input.householdId);
    if (last === input.action) {
      throw new ServiceError('VALVE_ALREADY', { action: input.action });
    }
    appendEvent(
      append,
      input.action === 'lock' ? 'valve.locked' : 'valve.unlocked',
      {
        valveOpId,
        householdId: input.householdId,
        keyNo: input.keyNo,
        operator: input.operator ?? clerk.name,
        note: input.note,
      },
      clerk.id,
    );
  });
  return valveOperationsOf(ctx.db, input.householdId, 1)[0]!;
}

const CATEGORY_ZH: Record<ComplaintRow['category'], string> = {
  not_warm: '室温不达标',
  leak: '漏水',
  noise: '噪音',
  billing: '收费',
  service: '服务',
  other: '其他',
};
const STATUS_ZH: Record<ComplaintRow['status'], string> = {
  open: '待处理',
  in_progress: '处理中',
  closed: '已关闭',
};
const tenths = (t: number | null) => (t === null ? '' : `${(t / 10).toFixed(1)}℃`);

export async function exportServiceLog(ctx: ServiceContext, householdId: string) {
  const log = serviceLog(ctx, householdId);
  const h = log.household;
  const doc: Doc = {
    ...docBase(ctx),
    fileBase: `service-log-${h.accountNo}-${today(ctx)}`,
    title: '热用户服务记录',
    meta: [
      ['户号', h.accountNo],
      ['户名', h.name],
      ['地址', h.address],
    ],
    sections: [
      {
        kind: 'table',
        title: '测温记录',
        columns: [
          { label: '时间' },
          { label: '房间' },
          { label: '室温' },
          { label: '室外' },
          { label: '记录人' },
          { label: '备注', width: 2 },
        ],
        rows: log.temperatures.map((t) => [
          t.measuredAt,
          t.room,
          tenths(t.tenthsC),
          tenths(t.outdoorTenthsC),
          t.clerkName ?? '',
          t.note,
        ]),
        empty: '无',
      },
      {
        kind: 'table',
        title: '投诉记录',
        columns: [
          { label: '受理时间' },
          { label: '类别' },
          { label: '内容', width: 3 },
          { label: '状态' },
          { label: '处理记录', width: 3 },
        ],
        rows: log.complaints.map((c) => [
          c.openedAt,
          CATEGORY_ZH[c.category],
          c.text,
          STATUS_ZH[c.status],
          c.updates.map((u) => `${u.at.slice(0, 16)} ${STATUS_ZH[u.status]} ${u.note}`).join('；'),
        ]),
        empty: '无',
      },
      {
        kind: 'table',
        title: '锁闭阀记录',
        columns: [
          { label: '时间' },
          { label: '操作' },
          { label: '钥匙号' },
          { label: '操作人' },
          { label: '记录人' },
          { label: '备注', width: 2 },
        ],
        rows: log.valves.map((v) => [
          v.occurredAt,
          v.action === 'lock' ? '关阀（锁闭）' : '开阀（解锁）',
          v.keyNo,
          v.operator,
          v.clerkName ?? '',
          v.note,
        ]),
        empty: '无',
      },
    ],
  };
  return xlsxFile(doc, log.temperatures.length + log.complaints.length + log.valves.length);
}
