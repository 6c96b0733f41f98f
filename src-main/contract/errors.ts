/** Every error a command can return, with the clerk-facing text in zh-CN and en (next step included). */
type Details = Record<string, string | number>;
type Text = (d: Details) => string;

const catalog = {
  BAD_INPUT: {
    zh: (d) => `输入有误：${d.issues ?? ''}。请检查后重试。`,
    en: (d) => `Invalid input: ${d.issues ?? ''}. Check and try again.`,
  },
  UNKNOWN_COMMAND: {
    zh: (d) => `未知的操作“${d.name}”。请升级程序或联系技术支持。`,
    en: (d) => `Unknown command "${d.name}". Update the terminal or call support.`,
  },
  NOT_LOGGED_IN: {
    zh: () => '未登录或登录已过期，请重新登录。',
    en: () => 'Not logged in or the session expired. Log in again.',
  },
  BAD_CREDENTIALS: {
    zh: (d) => `工号或密码错误（还可尝试 ${d.attemptsLeft} 次）。`,
    en: (d) => `Wrong clerk code or PIN (${d.attemptsLeft} attempts left).`,
  },
  CLERK_LOCKED: {
    zh: (d) => `连续输错密码，账号已锁定至 ${d.until}。请稍后再试或请主管处理。`,
    en: (d) => `Too many wrong PINs; locked until ${d.until}. Wait or ask a supervisor.`,
  },
  NOT_SUPERVISOR: {
    zh: () => '需要主管授权：请主管输入其工号和密码。',
    en: () => 'Supervisor approval needed: the supervisor enters their code and PIN.',
  },
  NO_OPEN_SHIFT: {
    zh: () => '当前没有开班。请先开班（输入备用金）。',
    en: () => 'No shift is open. Open a shift (enter the opening float) first.',
  },
  SHIFT_ALREADY_OPEN: {
    zh: (d) => `本机已有收费员 ${d.clerkName} 的班次未结。请该收费员先结班。`,
    en: (d) =>
      `A shift of ${d.clerkName} is still open on this counter; that clerk must close it first.`,
  },
  SHIFT_OF_OTHER_CLERK: {
    zh: (d) => `当前班次属于收费员 ${d.clerkName}，不能由您操作。`,
    en: (d) => `The open shift belongs to ${d.clerkName}; you cannot use it.`,
  },
  HOUSEHOLD_NOT_FOUND: {
    zh: () => '未找到该热用户。请核对户号后重新查询。',
    en: () => 'Household not found. Check the account number and search again.',
  },
  NOTHING_OWED: {
    zh: () => '该户没有欠费，无需缴费。',
    en: () => 'This household owes nothing.',
  },
  OVERPAY: {
    zh: (d) => `缴费金额超过应缴总额 ${d.owed}。请按应缴金额收取。`,
    en: (d) => `The amount exceeds the total owed (${d.owed}). Take at most the amount owed.`,
  },
  ALLOCATION_INVALID: {
    zh: (d) => `分摊有误：${d.reason}。请调整各供暖季金额。`,
    en: (d) => `Invalid allocation: ${d.reason}. Adjust the season amounts.`,
  },
  TENDERS_MISMATCH: {
    zh: (d) => `支付方式合计 ${d.tendered} 与缴费金额 ${d.amount} 不符。`,
    en: (d) => `Tenders add up to ${d.tendered}, not the amount ${d.amount}.`,
  },
  TENDERED_TOO_LOW: {
    zh: (d) => `实收现金 ${d.tendered} 少于应收现金 ${d.due}。`,
    en: (d) => `Cash tendered ${d.tendered} is less than the cash due ${d.due}.`,
  },
  SHIFT_NOT_FOUND: {
    zh: () => '未找到该班次。请核对后重试。',
    en: () => 'Shift not found. Check it and try again.',
  },
  VARIANCE_NEEDS_APPROVAL: {
    zh: (d) =>
      `点钞 ${d.counted} 与应有现金 ${d.expected} 相差 ${d.variance}，超过允许差额。请重新点钞，或填写原因并请主管授权。`,
    en: (d) =>
      `Counted ${d.counted} vs expected ${d.expected}: variance ${d.variance} is above the limit. Recount, or give a reason and a supervisor's approval.`,
  },
  DAY_ALREADY_CLOSED: {
    zh: (d) => `营业日 ${d.date} 已日结（Z），不能重复日结。`,
    en: (d) => `Business day ${d.date} is already closed (Z); it cannot be closed twice.`,
  },
  DAY_HAS_OPEN_SHIFT: {
    zh: (d) => `营业日 ${d.date} 还有未结班次（${d.clerkName}）。请先结班再日结。`,
    en: (d) =>
      `Business day ${d.date} still has an open shift (${d.clerkName}). Close it before the day closure.`,
  },
  DAY_OUT_OF_ORDER: {
    zh: (d) => `营业日 ${d.date} 早于最近一次日结 ${d.last}，不能日结。`,
    en: (d) => `Business day ${d.date} is before the last day closure (${d.last}).`,
  },
  BOOK_NOT_RETURNABLE: {
    zh: () => '该票据本不存在或已交回。',
    en: () => 'This receipt book does not exist or was already returned.',
  },
  BOOK_EXHAUSTED: {
    zh: () => '票据本已用完或未领用。请向主管领用新的票据本后再收费。',
    en: () => 'No receipt numbers left. Ask a supervisor to issue a new receipt book.',
  },
  BOOK_OVERLAP: {
    zh: (d) => `票据号段与已发放的票据本 ${d.series} 重叠。`,
    en: (d) => `The number range overlaps an issued book of series ${d.series}.`,
  },
  RECEIPT_NOT_FOUND: {
    zh: () => '未找到该收据。请核对收据号。',
    en: () => 'Receipt not found. Check the receipt number.',
  },
  RECEIPT_ALREADY_VOID: {
    zh: () => '该收据已作废。',
    en: () => 'This receipt is already void.',
  },
  VOID_OTHER_SHIFT: {
    zh: () => '只能作废本班次开具的收据。其他班次请走退费流程。',
    en: () => 'Only receipts of the current shift can be voided; use a refund for older ones.',
  },
  REQUEST_REUSED: {
    zh: () => '该缴费请求编号已用于另一笔不同的缴费。请重新发起缴费。',
    en: () =>
      'This payment request id was already used for a different payment. Start a new payment.',
  },
  CLOCK_BACKWARDS: {
    zh: (d) =>
      `电脑时钟 (${d.nowIso}) 早于上一笔记录的时间 (${d.lastIso})。请校正系统时间后再操作。`,
    en: (d) =>
      `The PC clock (${d.nowIso}) is behind the last record (${d.lastIso}). Fix the system time first.`,
  },
  DEMO_NOT_EMPTY: {
    zh: () => '数据库中已有数据，不能再生成演示数据。',
    en: () => 'The database already holds data; demo data can only be created on an empty one.',
  },
  PRINT_JOB_NOT_FOUND: {
    zh: () => '未找到该打印任务。请刷新打印队列后重试。',
    en: () => 'Print job not found. Refresh the print queue and try again.',
  },
  PRINTER_SETTINGS_INVALID: {
    zh: (d) => `打印机设置无效：${d.issue}。请检查后重新保存。`,
    en: (d) => `Invalid printer settings: ${d.issue}. Check and save again.`,
  },
  PRINT_TEMPLATE_DATA_INVALID: {
    zh: (d) => `打印数据不完整（${d.template}）：${d.issues}。请联系技术支持。`,
    en: (d) => `Print data incomplete (${d.template}): ${d.issues}. Call support.`,
  },
  CARD_TERMINAL_UNAVAILABLE: {
    zh: () => '未配置银行卡终端。请使用手工刷卡登记，或由管理员配置终端串口。',
    en: () =>
      'No card terminal is configured. Use manual card entry, or have the terminal port configured.',
  },
  CARD_TERMINAL_OFFLINE: {
    zh: () => '银行卡终端未连接。请检查串口线和终端电源，然后点“重新连接”。',
    en: () => 'The card terminal is not connected. Check the cable and power, then reconnect.',
  },
  CARD_TERMINAL_BUSY: {
    zh: () => '银行卡终端正在处理另一笔交易，请等待其完成。',
    en: () => 'The card terminal is busy with another transaction; wait for it to finish.',
  },
  CARD_RECOVERY_PENDING: {
    zh: (d) => `有一笔刷卡交易（${d.intentId}）结果未确认。请先在“未确认刷卡”中处理，再收下一笔。`,
    en: (d) =>
      `A card payment (${d.intentId}) has an unconfirmed outcome. Resolve it under "unconfirmed card payments" before the next one.`,
  },
  CARD_NOT_SENT: {
    zh: (d) => `银行卡终端未接受指令，未扣款（${d.reason}）。请重试。`,
    en: (d) =>
      `The card terminal did not accept the command; nothing was charged (${d.reason}). Try again.`,
  },
  CARD_OUTCOME_UNKNOWN: {
    zh: (d) =>
      `刷卡结果未知（${d.reason}）。不要重复刷卡：请在“未确认刷卡”中查询终端后补记、撤销或作废（${d.intentId}）。`,
    en: (d) =>
      `Card payment outcome unknown (${d.reason}). Do not charge again: query the terminal under "unconfirmed card payments" and record, reverse or mark failed (${d.intentId}).`,
  },
  CARD_INTENT_NOT_FOUND: {
    zh: () => '未找到该刷卡记录。请刷新列表。',
    en: () => 'Card payment not found. Refresh the list.',
  },
  CARD_ACTION_NOT_ALLOWED: {
    zh: (d) =>
      `当前状态（${d.state}）下不能执行“${d.action ?? ''}”。请按终端查询结果选择允许的操作。`,
    en: (d) =>
      `"${d.action ?? ''}" is not allowed in state ${d.state}. Choose one of the actions the terminal's facts allow.`,
  },
  CARD_REVERSAL_FAILED: {
    zh: (d) => `终端撤销失败（${d.reason}）。交易保持未确认，请检查终端后重试或补记。`,
    en: (d) =>
      `Reversal on the terminal failed (${d.reason}). The payment stays unresolved; check the terminal and retry or record it.`,
  },
  CARD_TERMINAL_ERROR: {
    zh: (d) => `银行卡终端错误（${d.reason}）。请检查终端后重试。`,
    en: (d) => `Card terminal error (${d.reason}). Check the terminal and retry.`,
  },
  LEDGER_BUSY: {
    zh: () => '数据库忙，请稍后重试。',
    en: () => 'The ledger is busy. Try again in a moment.',
  },
  INTERNAL: {
    zh: (d) => `系统内部错误（${d.ref}）。数据未改动。请重试；如仍失败请联系技术支持并告知编号。`,
    en: (d) =>
      `Internal error (${d.ref}). Nothing was changed. Retry; if it persists call support with this reference.`,
  },
} satisfies Record<string, { zh: Text; en: Text }>;

export type ErrorCode = keyof typeof catalog;
export const errorCodes = Object.keys(catalog) as ErrorCode[];

export interface CommandError {
  code: ErrorCode;
  message: { 'zh-CN': string; en: string };
  details?: Details;
}

export function commandError(code: ErrorCode, details: Details = {}): CommandError {
  const entry = catalog[code];
  const hasDetails = Object.keys(details).length > 0;
  return {
    code,
    message: { 'zh-CN': entry.zh(details), en: entry.en(details) },
    ...(hasDetails ? { details } : {}),
  };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CommandError };
