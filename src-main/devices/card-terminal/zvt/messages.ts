/**
 * ZVT result codes (BMP 27, 06 1E, 84 xx) and intermediate status codes (04 FF) with clerk-facing
 * texts. English wording follows the error-message list of ZVT PA00P015 (the same wording as
 * ecrterm's ERRORCODES table in the golden frames); zh-CN and the next step are ours.
 */
export interface Localized {
  'zh-CN': string;
  en: string;
}

type Next = 'other_card' | 'retry' | 'support' | 'wait' | 'none';

const NEXT: Record<Next, Localized> = {
  other_card: {
    'zh-CN': '请客户换卡或改用其他方式付款。',
    en: 'Ask for another card or another way to pay.',
  },
  retry: { 'zh-CN': '请重试一次。', en: 'Try once more.' },
  support: { 'zh-CN': '请联系银行终端维护人员。', en: 'Call the card-terminal service.' },
  wait: { 'zh-CN': '请稍候。', en: 'Please wait.' },
  none: { 'zh-CN': '', en: '' },
};

// prettier-ignore
const RESULT: Record<number, [en: string, zh: string, next: Next]> = {
  0x00: ['no error', '交易成功', 'none'],
  0x64: ['card not readable (LRC-/parity-error)', '读卡失败', 'retry'],
  0x65: ['card-data not present (neither track-data nor chip found)', '未读到卡片数据', 'retry'],
  0x66: ['processing-error (also for problems with card-reader mechanism)', '处理错误（读卡器故障）', 'retry'],
  0x67: ['function not permitted for ec- and Maestro-cards', '此类卡不支持该功能', 'other_card'],
  0x68: ['function not permitted for credit- and tank-cards', '此类卡不支持该功能', 'other_card'],
  0x6a: ['turnover-file full', '终端交易文件已满，需要先结算', 'support'],
  0x6b: ['function deactivated (PT not registered)', '终端未签到（未注册）', 'support'],
  0x6c: ['abort via time-out or abort-key', '交易已取消（超时或按了取消键）', 'retry'],
  0x6e: ['card in blocked-list', '卡片在黑名单中', 'other_card'],
  0x6f: ['wrong currency', '币种错误', 'support'],
  0x71: ['credit not sufficient (chip-card)', '余额不足', 'other_card'],
  0x72: ['chip error', '芯片错误', 'other_card'],
  0x73: ['card-data incorrect', '卡片数据错误', 'other_card'],
  0x77: ['end-of-day batch not possible', '无法结算', 'support'],
  0x78: ['card expired', '卡片已过期', 'other_card'],
  0x79: ['card not yet valid', '卡片尚未生效', 'other_card'],
  0x7a: ['card unknown', '无法识别的卡', 'other_card'],
  0x7d: ['communication error', '通讯错误', 'retry'],
  0x83: ['function not possible', '终端当前无法执行该功能', 'support'],
  0x85: ['key missing', '终端密钥缺失', 'support'],
  0x89: ['PIN-pad defective', '密码键盘故障', 'support'],
  0x9a: ['ZVT protocol error. e. g. parsing error, mandatory message element missing', 'ZVT 协议错误', 'support'],
  0x9b: ['error from dial-up/communication fault', '拨号/通讯故障', 'retry'],
  0x9c: ['please wait', '请稍候', 'wait'],
  0xa0: ['receiver not ready', '接收方未就绪', 'retry'],
  0xa1: ['remote station does not respond', '银行主机无响应', 'retry'],
  0xa3: ['no connection', '无网络连接', 'retry'],
  0xb1: ['memory full', '终端存储已满', 'support'],
  0xb2: ['merchant-journal full', '商户流水已满', 'support'],
  0xb4: ['already reversed', '该交易已撤销', 'none'],
  0xb5: ['reversal not possible', '无法撤销该交易', 'support'],
  0xb7: ['pre-authorisation incorrect (amount too high) or amount wrong', '金额错误', 'retry'],
  0xc2: ['diagnosis required', '终端需要诊断', 'support'],
  0xc3: ['maximum amount exceeded', '超过最大金额', 'other_card'],
  0xc5: ['payment method not supported', '不支持该支付方式', 'other_card'],
  0xc6: ['currency not applicable', '币种不适用', 'support'],
  0xc8: ['amount too small', '金额过小', 'none'],
  0xcc: ['printer not ready', '终端打印机未就绪', 'support'],
  0xe2: ['card-reader does not answer / card-reader defective', '读卡器无响应或故障', 'support'],
  0xe4: ['Terminal activation required', '终端需要激活', 'support'],
  0xec: ['PIN-processing not possible', '无法处理密码', 'other_card'],
  0xed: ['PIN-pad defective', '密码键盘故障', 'support'],
  0xf0: ['open end-of-day batch present', '有未结算批次，请先结算', 'support'],
  0xfe: ['register unknown', '未知寄存器', 'support'],
  0xff: ['system error', '系统错误', 'support'],
};

/** English text of a result code as the spec words it (network-operator range 01–63 included). */
export function resultText(code: number): string {
  const known = RESULT[code];
  if (known) return known[0];
  if (code >= 0x01 && code <= 0x63)
    return `network-operator system/authorisation-system error (0x${hex(code)})`;
  return `unknown result code 0x${hex(code)}`;
}

/** What the clerk reads for a terminal result code (BMP 27 / 06 1E / 84 xx): what happened + what next. */
export function resultMessage(code: number): Localized {
  const known = RESULT[code];
  const [en, zh, next]: [string, string, Next] = known
    ? known
    : code >= 0x01 && code <= 0x63
      ? [resultText(code), '发卡行/银行主机拒绝', 'other_card']
      : [resultText(code), `终端返回未知代码 ${hex(code)}`, 'support'];
  return {
    'zh-CN': `${zh}（${hex(code)}）。${NEXT[next]['zh-CN']}`.replace(/。$/, '。'),
    en: `${capital(en)} (${hex(code)}). ${NEXT[next].en}`.trim(),
  };
}

// prettier-ignore
const INTERMEDIATE: Record<number, [en: string, zh: string]> = {
  0x00: ['PT is waiting for amount-confirmation', '请确认金额'],
  0x01: ['please watch PIN-Pad', '请看密码键盘'],
  0x02: ['please watch PIN-Pad', '请看密码键盘'],
  0x03: ['not accepted', '不受理'],
  0x04: ['PT is waiting for response from FEP', '正在等待银行主机响应'],
  0x05: ['PT is sending auto-reversal', '终端正在自动冲正'],
  0x06: ['PT is sending post-bookings', '终端正在上送交易'],
  0x07: ['card not admitted', '不受理此卡'],
  0x08: ['card unknown / undefined', '无法识别的卡'],
  0x09: ['expired card', '卡片已过期'],
  0x0a: ['insert card', '请插卡/刷卡'],
  0x0b: ['please remove card!', '请取卡'],
  0x0c: ['card not readable', '读卡失败'],
  0x0d: ['processing error', '处理错误'],
  0x0e: ['please wait...', '请稍候…'],
  0x0f: ['PT is commencing an automatic end-of-day batch', '终端正在自动结算'],
  0x10: ['invalid card', '无效卡'],
  0x11: ['balance display', '显示余额'],
  0x12: ['system malfunction', '系统故障'],
  0x13: ['payment not possible', '无法支付'],
  0x14: ['credit not sufficient', '余额不足'],
  0x15: ['incorrect PIN', '密码错误'],
  0x16: ['limit not sufficient', '额度不足'],
  0x17: ['please wait...', '请稍候…'],
  0x18: ['PIN try limit exceeded', '密码错误次数超限'],
  0x19: ['card-data incorrect', '卡片数据错误'],
  0x1a: ['service-mode', '维护模式'],
  0x1b: ['approved. Please fill-up', '交易成功'],
  0x1c: ['approved. Please take goods', '交易成功'],
  0x1d: ['declined', '交易被拒绝'],
  0x41: ['please watch PIN-Pad, please remove card!', '请看密码键盘，请取卡'],
  0x43: ['please remove card!', '请取卡'],
};

export function intermediateText(code: number): Localized {
  const known = INTERMEDIATE[code];
  return known
    ? { 'zh-CN': known[1], en: known[0] }
    : { 'zh-CN': `终端状态 ${hex(code)}`, en: `terminal status 0x${hex(code)}` };
}

/** Terminal-status byte of the Completion after a Status-Enquiry (00 = ready). */
export function terminalStatusText(code: number): Localized {
  return code === 0
    ? { 'zh-CN': '终端就绪', en: 'PT ready' }
    : { 'zh-CN': `终端未就绪（状态 ${hex(code)}）`, en: `PT not ready (status 0x${hex(code)})` };
}

function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
