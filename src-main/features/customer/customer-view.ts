import type { ParsedInput } from '@heating-cashier/core/contract/commands';
import type { CustomerView } from '@heating-cashier/core/contract/customer-view';
import type { customerScreen } from '@heating-cashier/core/contract/customer-commands';
import type { z } from 'zod';
import { seasonAccounts } from '../households/accounts.store';
import { requireHousehold } from '../households/households';
import type { Household } from '../households/households.store';
import { previewPayment } from '../payments/payments';
import { printerSettings } from '../printing/print-queue';
import { receiptById, receiptLines, receiptTenders } from '../receipts/receipts.store';
import { ServiceError, type ServiceContext } from '../../services/context';

type Screen = z.output<typeof customerScreen>;

/** `张三明` → `张*明`, `李四` → `李*`, one character → `*`: the customer recognises it, a queue does not. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  const stars = '*'.repeat(Math.min(chars.length - 2, 6));
  return `${chars[0]}${stars}${chars[chars.length - 1]}`.slice(0, 40);
}

/** `阳光小区 3-2-501` → `阳光小区 3-2-***`: building and unit, never the room. */
export function maskAddress(h: Pick<Household, 'community' | 'building' | 'unit'>): string {
  const parts = [h.building, h.unit].map((p) => p.trim()).filter((p) => p !== '');
  return [h.community.trim(), [...parts, '***'].join('-')]
    .filter((p) => p !== '')
    .join(' ')
    .slice(0, 80);
}

function idleView(companyName: string, version: number): CustomerView {
  return {
    version,
    phase: 'idle',
    companyName,
    householdNameMasked: null,
    addressMasked: null,
    seasons: [],
    owedFen: 0,
    amountFen: null,
    lines: [],
    tenderedFen: null,
    changeFen: null,
    receiptLabel: null,
    ratingReceiptId: null,
  };
}

function companyName(ctx: ServiceContext): string {
  return printerSettings(ctx.db).companyName.slice(0, 80);
}

/** The household's part of a view: masked identity and what it still owes per season. */
function accountPart(ctx: ServiceContext, householdId: string) {
  const household = requireHousehold(ctx, householdId);
  const seasons = seasonAccounts(ctx.db, householdId)
    .filter((s) => s.balanceFen > 0)
    .slice(-20)
    .map((s) => ({ seasonCode: s.seasonCode, chargeFen: s.chargeFen, owedFen: s.balanceFen }));
  return {
    householdNameMasked: maskName(household.name),
    addressMasked: maskAddress(household),
    seasons,
    owedFen: seasons.reduce((sum, s) => sum + s.owedFen, 0),
  };
}

/**
 * Composes what the customer sees from the clerk's screen state and the ledger alone: the household
 * on the counter (masked), its seasons, this payment's allocation by the payment's own preview, the
 * change, the receipt. Throws a ServiceError (nothing published) on a household or receipt that
 * does not fit.
 */
export function composeCustomerView(
  ctx: ServiceContext,
  session: string,
  screen: Screen,
  version: number,
): CustomerView {
  const company = companyName(ctx);
  if (screen.phase === 'idle' || screen.householdId === undefined)
    return idleView(company, version);
  const householdId = screen.householdId;
  const base = { ...idleView(company, version), ...accountPart(ctx, householdId) };
  if (screen.phase === 'account') return { ...base, phase: 'account' };

  if (screen.phase === 'payment') {
    let amountFen: number | null = null;
    let lines: CustomerView['lines'] = [];
    if (screen.amountFen !== undefined || screen.allocation !== undefined) {
      // The payment's own preview: the same allocation (oldest first or the clerk's split) and %.
      const preview = previewPayment(ctx, {
        session,
        householdId,
        ...(screen.amountFen !== undefined ? { amountFen: screen.amountFen } : {}),
        ...(screen.allocation !== undefined ? { allocation: screen.allocation } : {}),
      });
      amountFen = preview.amountFen;
      lines = preview.lines.map((l) => ({
        seasonCode: l.seasonCode,
        amountFen: l.amountFen,
        pctTenths: l.pctTenths,
        partial: l.partial,
      }));
    }
    const tenderedFen = screen.tenderedFen ?? null;
    const cashDue = amountFen === null ? null : Math.min(screen.cashFen ?? amountFen, amountFen);
    const changeFen =
      tenderedFen !== null && cashDue !== null && tenderedFen >= cashDue
        ? tenderedFen - cashDue
        : null;
    return { ...base, phase: 'payment', amountFen, lines, tenderedFen, changeFen };
  }

  // paid: the receipt as issued, for this household only.
  const receipt = screen.receiptId ? receiptById(ctx.db, screen.receiptId) : null;
  if (!receipt || receipt.household_id !== householdId || receipt.voided_seq !== null) {
    throw new ServiceError('CUSTOMER_RECEIPT_MISMATCH');
  }
  const cash = receiptTenders(ctx.db, receipt.id).find((t) => t.tenderedFen !== undefined);
  return {
    ...base,
    phase: 'paid',
    amountFen: receipt.total_fen,
    lines: receiptLines(ctx.db, receipt.id).map((l) => ({
      seasonCode: l.seasonCode,
      amountFen: l.amountFen,
      pctTenths: l.pctTenths,
      partial: l.balanceAfterFen > 0,
    })),
    tenderedFen: cash?.tenderedFen ?? null,
    changeFen: cash ? receipt.change_fen : null,
    receiptLabel: receipt.receipt_label,
    ratingReceiptId: receipt.id,
  };
}

/** Publishes a view on the push bus and keeps it for displays that pair later. */
function publish(ctx: ServiceContext, view: CustomerView): void {
  ctx.runtime.customer.remember(view, ctx.clock().getTime());
  ctx.runtime.push.publish('customer.view', view);
}

/** `customer.show`: the clerk's screen state becomes the customer view (a new version), pushed. */
export function showCustomerScreen(ctx: ServiceContext, input: ParsedInput<'customer.show'>) {
  const displays = ctx.runtime.customer;
  // Composed before the version is taken: a refused screen state changes nothing at all.
  const view = composeCustomerView(ctx, input.session, input.screen, 0);
  const published = { ...view, version: displays.nextVersion() };
  publish(ctx, published);
  return { version: published.version, phase: published.phase };
}

/** The view a display shows now: the last one, or the welcome screen. */
export function currentCustomerView(ctx: ServiceContext): CustomerView {
  const now = ctx.clock().getTime();
  const last = ctx.runtime.customer.lastView(now);
  if (last) return last;
  return idleView(companyName(ctx), ctx.runtime.customer.nextVersion());
}

/** After the rating (or when it can no longer be given): the welcome screen for everyone. */
export function publishIdle(ctx: ServiceContext): CustomerView {
  const view = idleView(companyName(ctx), ctx.runtime.customer.nextVersion());
  publish(ctx, view);
  return view;
}
