import { BACKUP_PROBLEM_TEXT, type BackupProblemKind } from './backup-problems';
/** Every error a command can return, with the clerk-facing text in zh-CN and en (next step included). */
type Details = Record<string, string | number>;

/** A backup problem in the reader's language (the kind's wording; the raw detail if unknown). */
function problemText(d: Details, lang: 'zh-CN' | 'en'): string {
  const kind = d.problemKind as BackupProblemKind;
  return BACKUP_PROBLEM_TEXT[kind]?.[lang] ?? String(d.problem ?? '');
}
type Text = (d: Details) => string;

const MASTER_TABLE_TEXT: Record<string, { 'zh-CN': string; en: string }> = {
  clerks: { 'zh-CN': '收费员', en: 'clerk' },
  seasons: { 'zh-CN': '采暖季', en: 'season' },
  rates: { 'zh-CN': '单价', en: 'rate' },
  charges: { 'zh-CN': '应收', en: 'charge' },
  payments_elsewhere: { 'zh-CN': '他处缴费', en: 'payment elsewhere' },
  households: { 'zh-CN': '用户户号', en: 'household account' },
};
const MASTER_PROBLEM_TEXT: Record<string, { 'zh-CN': string; en: string }> = {
  unsigned: { 'zh-CN': '没有签名', en: 'not signed' },
  altered: { 'zh-CN': '签名与内容不符，数据已被改动', en: 'the signature does not match: altered' },
  'unknown-signer': {
    'zh-CN': '签名方不是本机或已登记的总部',
    en: 'signed by neither this terminal nor the enrolled head office',
  },
  'paid-elsewhere-mismatch': {
    'zh-CN': '他处已缴金额与明细合计不符',
    en: 'paid elsewhere differs from its payments',
  },
};

/** A master row and what is wrong with it (MASTER_ROW_INVALID: table, key, problem). */
function masterRowText(d: Details, lang: 'zh-CN' | 'en'): string {
  const table = MASTER_TABLE_TEXT[String(d.table)]?.[lang] ?? String(d.table);
  const problem = MASTER_PROBLEM_TEXT[String(d.problem)]?.[lang] ?? String(d.problem);
  return lang === 'en' ? `${table} ${d.key} (${problem})` : `${table} ${d.key}（${problem}）`;
}

const PIN_WEAK_TEXT: Record<string, { 'zh-CN': string; en: string }> = {
  short: { 'zh-CN': '少于 6 位', en: 'fewer than 6 digits' },
  repeated: { 'zh-CN': '数字全部相同或成组重复', en: 'the same digits over and over' },
  sequence: { 'zh-CN': '连续递增或递减', en: 'a run of consecutive digits' },
  code: { 'zh-CN': '与工号相同', en: 'the same as the clerk code' },
  same: { 'zh-CN': '与原密码相同', en: 'the same as the current PIN' },
};

const ENROLL_PROBLEM_TEXT: Record<string, { 'zh-CN': string; en: string }> = {
  code_unknown: {
    'zh-CN': '入网码不正确，请核对后重新输入',
    en: 'the enrollment code is not known; check it and type it again',
  },
  code_used: {
    'zh-CN': '该入网码已使用过，请总部重新发放',
    en: 'the code was already used; ask head office for a new one',
  },
  code_expired: {
    'zh-CN': '该入网码已过期，请总部重新发放',
    en: 'the code expired; ask head office for a new one',
  },
  wrong_terminal: {
    'zh-CN': '该入网码是发给另一台终端的',
    en: 'the code was issued for another terminal',
  },
  already_enrolled: {
    'zh-CN': '本机已入网；重新入网须由总部发放本机专用的重新入网码',
    en: 'this terminal is already enrolled; head office must issue a re-enrollment code for it',
  },
  key_conflict: {
    'zh-CN': '本机密钥与总部登记的不一致，请联系总部信息部门',
    en: 'this terminal’s key does not agree with what head office certified; call head-office IT',
  },
  bad_proof: {
    'zh-CN': '本机密钥签名校验失败，请联系技术支持',
    en: 'the proof signed with this terminal’s key does not verify; call support',
  },
  rate_limited: {
    'zh-CN': '失败次数过多，请稍后再试',
    en: 'too many failed attempts; try again later',
  },
  bad_answer: {
    'zh-CN': '总部的答复校验未通过（证书或总部密钥不符），未入网',
    en: 'head office’s answer did not verify (certificate or head-office key), so nothing was enrolled',
  },
};

/** An enrollment refusal in the reader's language (head office's own words when the kind is new). */
function enrollText(d: Details, lang: 'zh-CN' | 'en'): string {
  return ENROLL_PROBLEM_TEXT[String(d.problem)]?.[lang] ?? String(d.detail ?? d.problem ?? '');
}

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
  MASTER_ROW_INVALID: {
    zh: (d) =>
      `主数据校验未通过：${masterRowText(d, 'zh-CN')}。该数据可能被改动或未经签名，本操作已拒绝。请联系总部，重新同步主数据后再试。`,
    en: (d) =>
      `Master data failed its signature check: ${masterRowText(d, 'en')}. It may have been altered or was never signed, so this was refused. Call head office and re-sync the master data, then try again.`,
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
  SHIFT_NOT_CLOSED: {
    zh: () => '该班次尚未结班，没有交款单。请先结班（F8），或查看 X 报表。',
    en: () =>
      'This shift is not closed yet, so it has no hand-in slip. Close it first (F8) or look at the X report.',
  },
  PDF_UNAVAILABLE: {
    zh: () =>
      '本机未配置 PDF 生成（需要 Chromium 浏览器）。请导出 Excel，或联系技术支持安装 Chromium。',
    en: () =>
      'PDF output is not set up on this PC (it needs Chromium). Export to Excel instead, or ask support to install Chromium.',
  },
  PDF_FAILED: {
    zh: (d) => `PDF 生成失败：${d.reason ?? ''}。请重试；仍失败请导出 Excel 并联系技术支持。`,
    en: (d) =>
      `Making the PDF failed: ${d.reason ?? ''}. Retry; if it fails again export to Excel and call support.`,
  },
  DAY_CLOSED: {
    zh: (d) =>
      `营业日 ${d.date} 已日结（Z${d.closureNo}），本柜台当天不能再开班、收费或开票。请在下一营业日（${d.nextDate}）开班收费；如果日结做早了，请主管安排缴费人到其他柜台缴费，并把提前日结报告财务（日结不能撤销）。`,
    en: (d) =>
      `Business day ${d.date} is closed (Z${d.closureNo}): this counter takes no new shift, payment or receipt on it. Open a shift and take payments on the next business day (${d.nextDate}); if the Z was run too early, a supervisor sends the payer to another counter and reports the early Z to finance (a Z cannot be undone).`,
  },
  DAY_IN_FUTURE: {
    zh: (d) =>
      `营业日 ${d.date} 还没到（今天是 ${d.today}），不能提前日结。请在当天营业结束后再日结。`,
    en: (d) =>
      `Business day ${d.date} has not come yet (today is ${d.today}). Run the Z at the end of that day.`,
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
  STATEMENT_NOT_VOID: {
    zh: (d) => `收据 ${d.label} 未作废：只有作废的收据或登记的废票才有书面说明。请核对收据号。`,
    en: (d) =>
      `Receipt ${d.label} is not void: only a voided receipt or a recorded spoiled blank has a written statement. Check the receipt number.`,
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
  POLE_PORT_UNAVAILABLE: {
    zh: (d) =>
      `客显串口 ${d.path} 无法打开（${d.problem}）。请检查客显的串口线或 USB 转串口线是否插好、端口选得对、没有被其他程序占用，然后重试；原设置未改变。`,
    en: (d) =>
      `The pole display port ${d.path} cannot be opened (${d.problem}). Check the cable or USB adapter, the port chosen, and that no other program holds it, then try again; the settings are unchanged.`,
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
  CARD_TERMINAL_UNANSWERED: {
    zh: () =>
      '银行卡终端无应答，未扣款：可能已关机或串口线松动。请检查终端电源和串口线后重试；也可收现金或用“手工刷卡登记”。',
    en: () =>
      'The card terminal does not answer; nothing was charged. It may be switched off or its cable loose: check and try again, or take cash or use manual card entry.',
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
  QR_CODE_INVALID: {
    zh: () =>
      '这不是支付宝、微信或云闪付的付款码（付款码为 16–24 位数字）。请让顾客刷新付款码后重新扫描，或手工核对后再输入。',
    en: () =>
      'This is not an Alipay, WeChat Pay or UnionPay payment code (16–24 digits). Ask the customer to refresh the code and scan it again, or check it and type it again.',
  },
  QR_NOT_ENROLLED: {
    zh: () =>
      '本机未接入总部，不能扫码收款。请收现金或刷卡；或用“扫码/转账”手工登记顾客的交易号（记为未确认，待财务对账）。主管可在同步设置中入网。',
    en: () =>
      'This terminal is not connected to head office, so it cannot take payment codes. Take cash or card, or record the customer’s payment reference by hand under QR/transfer (marked unconfirmed for reconciliation). A supervisor can enroll the terminal in the sync settings.',
  },
  QR_OFFLINE: {
    zh: (d) =>
      `无法连接总部（${d.reason}），扫码收款暂不可用，未扣款、未记录。请收现金或刷卡；或请顾客自行付款后用“扫码/转账”手工登记其交易号（记为未确认，待财务对账）。`,
    en: (d) =>
      `Head office cannot be reached (${d.reason}), so payment codes cannot be taken now; nothing was charged or recorded. Take cash or card, or record the customer’s payment reference by hand under QR/transfer (marked unconfirmed for later reconciliation).`,
  },
  QR_PROVIDER_UNAVAILABLE: {
    zh: (d) =>
      `总部暂不能受理${d.provider ?? ''}付款码（${d.reason}），未扣款。请让顾客换用其他付款方式（其他扫码渠道、现金或刷卡）。`,
    en: (d) =>
      `Head office cannot take ${d.provider ?? 'this'} payment codes now (${d.reason}); nothing was charged. Ask the customer for another way to pay (another wallet, cash or card).`,
  },
  QR_OUTCOME_UNKNOWN: {
    zh: (d) =>
      `扫码收款结果未知（${d.reason}）。不要让顾客重复付款：请在“未确认的扫码交易”中查询（${d.intentId}）；已付款的会自动开出收据。`,
    en: (d) =>
      `QR payment outcome unknown (${d.reason}). Do not charge the customer again: query it under “unconfirmed QR payments” (${d.intentId}); a paid one becomes its receipt by itself.`,
  },
  QR_RECOVERY_PENDING: {
    zh: (d) =>
      `有一笔扫码交易（${d.intentId}）结果未确认。请先在“未确认的扫码交易”中查询或撤销，再扫下一笔；其间可收现金或刷卡。`,
    en: (d) =>
      `A QR payment (${d.intentId}) has an unconfirmed outcome. Query or cancel it under “unconfirmed QR payments” before the next scan; meanwhile take cash or card.`,
  },
  QR_INTENT_NOT_FOUND: {
    zh: () => '未找到该扫码交易。请刷新列表。',
    en: () => 'QR payment not found. Refresh the list.',
  },
  QR_ACTION_NOT_ALLOWED: {
    zh: (d) => `该扫码交易已处理完毕（${d.state}），无需再操作。请刷新列表。`,
    en: (d) =>
      `This QR payment is already settled (${d.state}); nothing more to do. Refresh the list.`,
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
  CARD_SETTINGS_BUSY: {
    zh: () =>
      '刷卡交易未结束（正在刷卡，或有未确认的刷卡交易），现在不能更换或测试刷卡机设置。请先完成或处理该笔交易，再重试；原设置未改变。',
    en: () =>
      'A card transaction is open (a sale running, or an unconfirmed card payment), so the card terminal settings cannot be changed or tested now. Finish or resolve it, then try again; the settings are unchanged.',
  },
  CARD_PORT_UNAVAILABLE: {
    zh: (d) =>
      `串口 ${d.path} 无法打开（${d.problem}）。请检查刷卡机串口线或 USB 转串口线是否插好、端口是否选对、没有被其他程序占用；原设置未改变。`,
    en: (d) =>
      `The port ${d.path} cannot be opened (${d.problem}). Check the terminal's cable or USB adapter, that the right port is chosen and no other program holds it; the settings are unchanged.`,
  },
  CARD_TEST_NO_ANSWER: {
    zh: (d) =>
      `串口 ${d.path} 已打开，但刷卡机没有应答签到。请检查刷卡机是否开机、串口线是否接在这个端口、波特率（${d.baudRate}）和停止位是否与刷卡机一致；原设置未改变。`,
    en: (d) =>
      `The port ${d.path} opened, but the card terminal did not answer the registration. Check that it is switched on, its cable is on this port, and the baud rate (${d.baudRate}) and stop bits match the terminal; the settings are unchanged.`,
  },
  CARD_TEST_REFUSED: {
    zh: (d) =>
      `刷卡机拒绝签到（${d.reason}）。请核对收银机密码（6 位数字，见刷卡机说明或银行服务商）和币种；原设置未改变。`,
    en: (d) =>
      `The card terminal refused the registration (${d.reason}). Check the ECR password (six digits, from the terminal's manual or the bank's service) and the currency; the settings are unchanged.`,
  },
  SENDER_REFUSED: {
    zh: () => '请求来源不受信任，已拒绝。请关闭其他窗口并重新启动收费终端。',
    en: () => 'The request came from an untrusted page and was refused. Restart the terminal.',
  },
  BACKUP_NOT_CONFIGURED: {
    zh: () => '尚未设置备份文件夹。请主管在“备份与日志”中设置备份位置（如U盘或网络共享）。',
    en: () =>
      'No backup folder is set. A supervisor sets one under "Backups and logs" (e.g. a USB disk or network share).',
  },
  BACKUP_DIR_INVALID: {
    zh: (d) =>
      `备份文件夹不可用（${d.reason}）：${d.dir}。请插好U盘或检查网络共享，或换一个文件夹。`,
    en: (d) =>
      `The backup folder cannot be used (${d.reason}): ${d.dir}. Plug in the disk, check the share, or pick another folder.`,
  },
  BACKUP_FAILED: {
    zh: (d) => `备份失败（${d.reason}）。收费数据未受影响。请检查备份位置的空间和连接后重试。`,
    en: (d) =>
      `The backup failed (${d.reason}). The ledger is not affected. Check the backup location's space and connection, then retry.`,
  },
  BACKUP_BUSY: {
    zh: () => '正在进行另一项备份或恢复，请等待其完成后再试。',
    en: () => 'Another backup or restore is running; wait for it to finish and retry.',
  },
  BACKUP_NOT_FOUND: {
    zh: (d) => `未找到备份文件 ${d.file}。请刷新备份列表后重新选择。`,
    en: (d) => `Backup file ${d.file} not found. Refresh the list and choose again.`,
  },
  BACKUP_CORRUPT: {
    zh: (d) =>
      `备份文件 ${d.file} 已损坏或被改动（${problemText(d, 'zh-CN')}），不能用于恢复。当前数据未改动。请选择另一个备份。`,
    en: (d) =>
      `Backup ${d.file} is damaged or altered (${problemText(d, 'en')}) and cannot be restored. The current ledger is untouched. Choose another backup.`,
  },
  BACKUP_OTHER_TERMINAL: {
    zh: (d) =>
      `备份 ${d.file} 属于另一台收费终端，而本机已有收费记录，不能恢复。请选择本机的备份。`,
    en: (d) =>
      `Backup ${d.file} belongs to another terminal and this one already holds records; it cannot be restored here. Choose this terminal's backup.`,
  },
  BACKUP_OLDER_THAN_LEDGER: {
    zh: (d) =>
      `该备份只到第 ${d.backupSeq} 条记录，当前账本已有 ${d.liveSeq} 条；恢复将丢失 ${d.lost} 条记录。确需恢复请勾选“接受丢失”并再次确认。`,
    en: (d) =>
      `The backup ends at record ${d.backupSeq}; the ledger holds ${d.liveSeq}. Restoring loses ${d.lost} records. To go ahead, tick "accept the loss" and confirm again.`,
  },
  DIAGNOSTICS_UNAVAILABLE: {
    zh: () => '此运行方式没有日志文件夹，无法导出诊断包。请在收费终端程序中操作。',
    en: () =>
      'This way of running has no log folder; export the diagnostic bundle from the terminal app.',
  },
  SUPERVISOR_SESSION_REQUIRED: {
    zh: () => '此操作需要主管登录。请主管用自己的工号登录后再操作。',
    en: () => 'This needs a supervisor login. Have a supervisor log in with their own code.',
  },
  IMPORT_NOT_FOUND: {
    zh: () => '未找到该导入任务（程序重启后需重新选择文件）。请重新选择文件导入。',
    en: () => 'Import not found (a restart forgets uploads). Choose the file again.',
  },
  IMPORT_BUSY: {
    zh: () => '另一个导入正在进行。请等待其完成后再导入。',
    en: () => 'Another import is running. Wait for it to finish, then import.',
  },
  IMPORT_CHUNK_INVALID: {
    zh: (d) => `文件上传不完整或顺序有误（第 ${d.chunk} 段）。请重新选择文件导入。`,
    en: (d) =>
      `The file upload is incomplete or out of order (part ${d.chunk}). Choose the file again.`,
  },
  IMPORT_TOO_LARGE: {
    zh: (d) => `文件超过 ${d.maxMb} MB。请拆分成几个文件分别导入。`,
    en: (d) => `The file is larger than ${d.maxMb} MB. Split it into several files.`,
  },
  RATING_ALREADY_GIVEN: {
    zh: (d) => `收据 ${d.label} 已评价过（每张收据只能评价一次）。无需再评价，请接待下一位顾客。`,
    en: (d) =>
      `Receipt ${d.label} has already been rated (one rating per receipt). Nothing to do: serve the next customer.`,
  },
  RATING_RECEIPT_VOID: {
    zh: (d) => `收据 ${d.label} 已作废，不能评价。请对重新开具的收据评价，或跳过评价。`,
    en: (d) =>
      `Receipt ${d.label} is void and cannot be rated. Rate the receipt issued instead, or skip the rating.`,
  },
  RATING_SCORE_INVALID: {
    zh: () => '评价只能是 1–5 分（5 非常满意 … 1 很不满意）。请按 1–5 键评价，或按 Esc 跳过。',
    en: () =>
      'A rating is 1 to 5 (5 very satisfied … 1 very dissatisfied). Press 1–5 to rate, or Esc to skip.',
  },
  COMPLAINT_NOT_FOUND: {
    zh: () => '未找到该投诉记录。请刷新服务记录后重试。',
    en: () => 'Complaint not found. Refresh the service log and try again.',
  },
  COMPLAINT_STATUS_UNCHANGED: {
    zh: () => '投诉已是该状态。请选择其他状态。',
    en: () => 'The complaint already has this status. Choose another status.',
  },
  VALVE_ALREADY: {
    zh: (d) =>
      `该户锁闭阀已是${d.action === 'lock' ? '关闭（锁闭）' : '开启'}状态，不能重复登记。请核对现场情况。`,
    en: (d) =>
      `The valve is already ${d.action === 'lock' ? 'locked' : 'unlocked'}; it cannot be recorded twice. Check on site.`,
  },
  SEASON_NOT_FOUND: {
    zh: () => '未找到该供暖季。请在“供暖季与收费标准”中核对后重试。',
    en: () => 'Season not found. Check it under "Seasons and rates" and try again.',
  },
  SEASON_CODE_TAKEN: {
    zh: (d) => `供暖季编号 ${d.code} 已被另一个供暖季使用。请换一个编号或修改原供暖季。`,
    en: (d) =>
      `Season code ${d.code} belongs to another season. Pick another code or edit that season.`,
  },
  SEASON_HAS_NO_RATE: {
    zh: (d) => `供暖季 ${d.season} 没有该类别的收费标准。请主管先设置收费标准。`,
    en: (d) =>
      `Season ${d.season} has no rate for this category. A supervisor sets the rate first.`,
  },
  CLERK_CODE_TAKEN: {
    zh: (d) => `工号 ${d.code} 已有人使用：请换一个工号。`,
    en: (d) => `Clerk code ${d.code} is already taken: choose another code.`,
  },
  CLERKS_MANAGED_BY_HEAD_OFFICE: {
    zh: () => '本机已连接总部：收费员和主管由总部添加，同步后即可在本机登录。',
    en: () =>
      'This terminal syncs with head office, which adds clerks and supervisors; they can log in here after the next sync.',
  },
  MANAGED_BY_HEAD_OFFICE: {
    zh: () => '本机已连接总部：供暖季和收费标准由总部维护，请联系总部修改。',
    en: () =>
      'This terminal syncs with head office, which maintains seasons and rates. Ask head office to change them.',
  },
  NO_CHARGE_FOR_SEASON: {
    zh: (d) => `该户在 ${d.season} 供暖季没有应收记录。请先同步总部数据或核对供暖季。`,
    en: (d) =>
      `This household has no charge for season ${d.season}. Sync with head office or check the season.`,
  },
  NO_HEAT_AFTER_DEADLINE: {
    zh: (d) =>
      `已过停供申请截止日 ${d.deadline}（今天 ${d.today}），不能按停供收费。如公司批准，请主管输入工号和密码授权。`,
    en: (d) =>
      `The no-heat deadline ${d.deadline} has passed (today is ${d.today}). Only with the company's approval: a supervisor enters their code and PIN.`,
  },
  NO_HEAT_ARREARS_FIRST: {
    zh: (d) => `该户尚有往年欠费 ${d.arrears}。请先结清陈欠，再办理停供申请。`,
    en: (d) =>
      `This household still owes ${d.arrears} for earlier seasons. Clear the arrears before the no-heat application.`,
  },
  NO_HEAT_ALREADY: {
    zh: (d) => `该户 ${d.season} 供暖季已办理停供，无需重复办理。`,
    en: (d) => `This household is already on no-heat for season ${d.season}.`,
  },
  NO_HEAT_NOT_ACTIVE: {
    zh: (d) => `该户 ${d.season} 供暖季未办理停供，无需恢复供热。`,
    en: (d) => `This household is not on no-heat for season ${d.season}; nothing to resume.`,
  },
  APPROVALS_REQUIRED: {
    zh: (d) =>
      `减免/核销需要 ${d.required} 位不同主管授权（现有 ${d.given} 位）。请其他主管输入工号和密码。`,
    en: (d) =>
      `A reduction or write-off needs ${d.required} different supervisors (${d.given} given). Another supervisor enters their code and PIN.`,
  },
  APPROVER_DUPLICATE: {
    zh: () => '同一位主管不能授权两次。请由另一位主管输入工号和密码。',
    en: () =>
      'The same supervisor cannot approve twice. Another supervisor enters their code and PIN.',
  },
  RELIEF_OVER_BALANCE: {
    zh: (d) => `减免/核销金额超过 ${d.season} 供暖季的未缴金额 ${d.balance}。请减少金额。`,
    en: (d) =>
      `The amount exceeds what is still owed for season ${d.season} (${d.balance}). Lower the amount.`,
  },
  NOTHING_TO_CHANGE: {
    zh: () => '没有修改任何内容。请填写要修改的项目。',
    en: () => 'Nothing was changed. Fill in the fields to change.',
  },
  SUBSIDY_BELOW_RECEIVED: {
    zh: (d) => `财政补贴已到账 ${d.received}，补贴金额不能低于已到账金额。`,
    en: (d) =>
      `The finance office already paid ${d.received}; the subsidy share cannot be lower than that.`,
  },
  SUBSIDY_OVER_CHARGE: {
    zh: (d) => `补贴金额不能超过本季应收 ${d.charge}。请核对补贴金额。`,
    en: (d) => `The subsidy share cannot exceed the season charge (${d.charge}). Check the amount.`,
  },
  SUBSIDY_NOT_ASSIGNED: {
    zh: (d) => `该户 ${d.season} 供暖季没有财政补贴。请先由主管登记补贴金额。`,
    en: (d) =>
      `No subsidy share is recorded for season ${d.season}. A supervisor records the share first.`,
  },
  SUBSIDY_OVER_OUTSTANDING: {
    zh: (d) => `到账金额超过未到账的补贴 ${d.outstanding}。请核对财政拨款金额。`,
    en: (d) =>
      `The amount exceeds the subsidy still outstanding (${d.outstanding}). Check the finance office's transfer.`,
  },
  ADVANCE_DISABLED: {
    zh: () => '本单位未开通预交。如需开通，请主管在“规则设置”中打开预交。',
    en: () => 'Advance payment is not enabled. A supervisor can enable it under "Rule settings".',
  },
  NO_NEXT_SEASON: {
    zh: () => '下一个供暖季尚未设置，不能预交。请先设置供暖季和收费标准。',
    en: () =>
      'The next season is not set up yet; no advance payment. Set up the season and rates first.',
  },
  ADVANCE_ALREADY_ASSESSED: {
    zh: (d) => `该户 ${d.season} 供暖季已有应收，直接缴费即可。`,
    en: (d) =>
      `This household already has a charge for season ${d.season}; take the payment directly.`,
  },
  NO_CREDIT: {
    zh: () => '该户没有可抵扣的余额（或没有欠费可抵）。',
    en: () => 'This household has no credit to apply (or nothing owing to apply it to).',
  },
  FEE_RULE_OFF: {
    zh: () => '该供暖季未启用滞纳金/早缴优惠规则。如需启用，请主管在“供暖季与收费标准”中设置。',
    en: () =>
      'This season has no late-fee / early-discount rule. A supervisor can set one under "Seasons and rates".',
  },
  FEE_NOTHING_DUE: {
    zh: () => '目前没有应计的滞纳金或可享的优惠。',
    en: () => 'No late fee has accrued and no discount is due right now.',
  },
  CHEQUE_NOT_FOUND: {
    zh: () => '找不到该支票：请从待处理支票列表中选择。',
    en: () => 'No such cheque on this terminal. Pick it from the pending cheques list.',
  },
  CHEQUE_ALREADY_DECIDED: {
    zh: (d) =>
      `收据 ${d.receipt} 的支票已${d.status === 'cleared' ? '到账' : '退票'}（${d.date}），不能再处理。刷新列表。`,
    en: (d) =>
      `The cheque on receipt ${d.receipt} is already ${d.status} (${d.date}). Refresh the list.`,
  },
  CHEQUE_RECEIPT_VOIDED: {
    zh: (d) => `收据 ${d.receipt} 已作废，其支票无需处理；请将支票退还交款人。`,
    en: (d) =>
      `Receipt ${d.receipt} is void; its cheque needs no decision. Return the cheque to the payer.`,
  },
  CHEQUE_DATE_INVALID: {
    zh: (d) => `日期 ${d.date} 无效：应在 ${d.from} 至 ${d.to} 之间。`,
    en: (d) => `Date ${d.date} is not valid: use a date from ${d.from} to ${d.to}.`,
  },
  CHEQUE_REASON_REQUIRED: {
    zh: () => '退票须填写原因（如：余额不足、印鉴不符）。',
    en: () => 'A bounced cheque needs a reason (e.g. insufficient funds, signature mismatch).',
  },
  RECEIPT_CHEQUE_DECIDED: {
    zh: () => '该收据的支票已到账或退票，不能作废。退票已恢复欠费；如需退款请联系财务。',
    en: () =>
      'This receipt’s cheque is already cleared or bounced, so it cannot be voided. A bounce already restored the arrears; for a refund ask finance.',
  },
  HEAD_OFFICE_UNREACHABLE: {
    zh: (d) => `无法连接总部（${d.reason}）。请检查总部地址和网络后重试；收费不受影响。`,
    en: (d) =>
      `Head office cannot be reached (${d.reason}). Check its address and the network, then try again; collection goes on.`,
  },
  ENROLL_REFUSED: {
    zh: (d) => `总部拒绝入网：${enrollText(d, 'zh-CN')}。`,
    en: (d) => `Head office refused the enrollment: ${enrollText(d, 'en')}.`,
  },
  PIN_CHANGE_REQUIRED: {
    zh: () => '首次登录请先设置新密码（总部发放的初始密码只能用于这一次）。',
    en: () =>
      'First log-in: set a new PIN first (the initial PIN head office issued works for this once only).',
  },
  PIN_WEAK: {
    zh: (d) =>
      `新密码太容易被猜到（${PIN_WEAK_TEXT[String(d.reason)]?.['zh-CN'] ?? d.reason}）。请换一个 6 位以上、不规则的数字密码。`,
    en: (d) =>
      `The new PIN is too easy to guess (${PIN_WEAK_TEXT[String(d.reason)]?.en ?? d.reason}). Choose 6 or more digits without a pattern.`,
  },
  PIN_MISMATCH: {
    zh: () => '两次输入的新密码不一致，请重新输入。',
    en: () => 'The two new PINs differ; type them again.',
  },
  SETUP_REQUIRED: {
    zh: () =>
      '本机尚未设置：请在设置页选择“向总部入网”、“从备份恢复”或“演示账本”，完成后才能登录收费。',
    en: () =>
      'This counter is not set up yet: on the setup screen choose enroll with head office, restore a backup, or a demo ledger; then log in.',
  },
  SETUP_DONE: {
    zh: () => '本机已经设置完成，不能再次入网初始化、恢复或生成演示数据。请直接登录。',
    en: () =>
      'This counter is already set up; it cannot be enrolled, restored or seeded again from the setup screen. Log in.',
  },
  SETUP_NO_CLERKS: {
    zh: () =>
      '已向总部入网，但总部没有下发收费员。请总部在控制台添加收费员后，回到本页按“重新下载”。',
    en: () =>
      'Enrolled with head office, but head office sent no clerks. Ask head office to add clerks in its console, then press Retry download here.',
  },
  SETUP_DOWNLOAD_FAILED: {
    zh: (d) =>
      `已向总部入网，但主数据未下载完成（${d.reason}）。请检查网络后按“重新下载”；入网码不必再输入。`,
    en: (d) =>
      `Enrolled with head office, but the master data did not download (${d.reason}). Check the network and press Retry download; the code is not needed again.`,
  },
  SETUP_FOLDER_UNREADABLE: {
    zh: (d) => `无法读取文件夹 ${d.dir}。请检查路径（例如 U 盘是否插好）后重试。`,
    en: (d) =>
      `The folder ${d.dir} cannot be read. Check the path (is the USB disk plugged in?) and try again.`,
  },
  LEDGER_ALARM: {
    zh: (d) =>
      `账本校验未通过：${Number(d.seq) > 0 ? `第 ${d.seq} 条记录起已被改动或缺失` : `主数据被改动（${d.problem}）`}，暂停收费。请立即联系总部信息部门，按其指示恢复最近一次校验通过的备份；查询、补打和主管诊断仍可使用。`,
    en: (d) =>
      `The ledger failed its integrity check: ${Number(d.seq) > 0 ? `from record (seq) ${d.seq} on it was changed or is missing` : `master data was altered (${d.problem})`}, so payments are stopped. Call head-office IT now and restore the last good backup as they direct; lookups, reprints and the supervisor's diagnostics still work.`,
  },
  CUSTOMER_PAIRING_WRONG: {
    zh: (d) =>
      `配对码不正确（还可尝试 ${d.attemptsLeft} 次）。请看收费员屏幕上“客户显示屏”中的 6 位配对码后重新输入。`,
    en: (d) =>
      `Wrong pairing code (${d.attemptsLeft} attempts left). Read the 6-digit code under “Customer display” on the clerk’s screen and enter it again.`,
  },
  CUSTOMER_PAIRING_LOCKED: {
    zh: () =>
      '配对码输错次数过多，本次配对已停止。请收费员在“客户显示屏”中生成新的配对码，然后刷新本页面重新输入。',
    en: () =>
      'Too many wrong pairing codes; pairing is stopped. Ask the clerk to show a new code under “Customer display”, then reload this page and enter it.',
  },
  CUSTOMER_DISPLAY_ONLY: {
    zh: () => '这是客户显示屏，只能显示和评价，不能办理收费业务。请在收费员的窗口中操作。',
    en: () =>
      'This is a customer display: it shows and rates only, no counter work. Use the clerk’s window.',
  },
  CUSTOMER_NOT_PAIRED: {
    zh: () => '本页面尚未配对为客户显示屏。请输入收费员屏幕上显示的 6 位配对码。',
    en: () =>
      'This page is not paired as a customer display. Enter the 6-digit code shown on the clerk’s screen.',
  },
  CUSTOMER_NOTHING_TO_RATE: {
    zh: () => '当前没有可评价的收据（已评价或收费员已接待下一位）。无需操作。',
    en: () =>
      'There is no receipt to rate now (already rated, or the clerk has moved on). Nothing to do.',
  },
  CUSTOMER_RECEIPT_MISMATCH: {
    zh: () => '该收据不属于当前显示的住户，客户显示屏未更新。请重新打开该住户后再试。',
    en: () =>
      'That receipt does not belong to the household shown, so the customer display was not changed. Open the household again and retry.',
  },
  LEDGER_BUSY: {
    zh: () => '数据库忙，请稍后重试。',
    en: () => 'The ledger is busy. Try again in a moment.',
  },
  WORKER_FAILED: {
    zh: (d) =>
      `后台任务意外中止（${d.ref}），已自动重启。数据未改动。请重新打开该报表或重试该操作。`,
    en: (d) =>
      `The background task stopped unexpectedly (${d.ref}) and has been restarted. Nothing was changed. Open the report again or retry.`,
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

/** The first three zod issues as one line for an error message: `path: message; …` (`root` names an empty path). */
export function describeIssues(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  root = '(input)',
): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || root}: ${i.message}`.slice(0, 160))
    .join('; ');
}
