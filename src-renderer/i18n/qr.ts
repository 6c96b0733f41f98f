// Texts of scan-to-pay (付款码 through head office, issue 23): the payment screen's QR tender, the
// waiting state, each outcome with its next step, the recovery dialog and the receipt facts.
import type { Messages } from './zh-CN';

export const zhCNQr = {
  kinds: {
    code: '扫码支付（付款码）',
    manual: '扫码/转账（手工登记，未确认）',
  },
  code: '付款码',
  codeHint:
    '扫描顾客手机上的付款码，或输入付款码后按回车：通过总部向支付宝/微信支付/云闪付收款，确认到账后才出收据。',
  manualHint:
    '只登记顾客已付款的交易参考号，本机无法确认到账：收据标“未确认”，待总部对账核实。能扫码时请用“扫码支付（付款码）”。',
  scanAnywhere: '本屏任何位置扫付款码：按屏上的缴费金额整笔扫码收款',
  providers: {
    alipay: '支付宝',
    wechat: '微信支付',
    unionpay: '云闪付',
  },
  running: {
    heading: '扫码收款 {{amount}} · {{provider}}',
    waiting: '请顾客在手机上确认付款…',
    hint: '正在通过总部收款，最长约 60 秒。请勿关闭程序；不要让顾客重复付款。',
    code: '付款码 {{code}}',
  },
  declined: {
    heading: '扫码未成功，未收费',
    next: '未记录任何收款。可以：请顾客刷新付款码后再扫一次；或改用其他支付方式（现金、银行卡）。',
  },
  cancelled: {
    heading: '扫码交易已撤销，未收费',
    next: '未记录任何收款，顾客未被扣款。可以：请顾客刷新付款码后再扫一次；或改用其他支付方式（现金、银行卡）。',
  },
  failed: {
    heading: '扫码收款未完成，未收费',
    next: '未记录任何收款。请按上面的提示处理后再扫一次，或改用其他支付方式（现金、银行卡）。',
  },
  offline: {
    heading: '总部连接不上：扫码支付暂不可用',
    next: '本次没有发起扫码收款，顾客未被扣款。可以：收现金；刷银行卡；顾客已用手机付款或转账的，选“扫码/转账（手工登记，未确认）”登记交易参考号，待对账。',
    keys: '光标已在第 1 个支付方式的“方式”上：按 ↑↓ 选择现金、银行卡或手工登记，Tab 填写，回车确认。',
  },
  unknown: {
    heading: '扫码结果未确认',
    next: '不要让顾客再次付款。请在“未确认的扫码交易”窗口中按 F5 再次查询。',
  },
  errors: {
    codeInvalid:
      '第 {{n}} 个支付方式：这不是支付宝、微信支付或云闪付的付款码（16–24 位数字）。请重新扫码，或核对后重新输入。',
    split: '第 {{n}} 个支付方式：扫码支付须单独支付本次全部金额。请按 F8 删除其他支付方式。',
    amountFirst: '扫到了付款码，但缴费金额有误，未收款：请先改正缴费金额，再扫一次。',
  },
  facts: {
    heading: '扫码支付',
    channel: '渠道',
    tradeNo: '交易号',
    outTradeNo: '商户订单号',
    buyer: '付款账户',
    confirmation: '状态',
    confirmed: '已确认',
    unconfirmed: '未确认（手工登记，待对账）',
    unconfirmedMark: '未确认',
    reference: '交易参考号',
  },
  recovery: {
    heading: '未确认的扫码交易',
    intro:
      '以下扫码收款没有得到确定结果（程序中断、网络中断或总部未答复）。顾客可能已经付款：请先查询，不要让顾客重复付款。',
    time: '发起时间',
    amount: '金额',
    provider: '渠道',
    code: '付款码',
    outTradeNo: '商户订单号',
    state: '状态',
    unknownState: '结果未知',
    requery: '再次查询',
    cancel: '撤销',
    later: '稍后处理',
    close: '关闭',
    working: '正在通过总部查询，请稍候…',
    select: '↑↓ 选择一笔',
    done: {
      completed: '已确认收款：收据 {{label}} 已生成。',
      failed: '未收费，已关闭。',
      cancelled: '已撤销，未收费。',
      intent: '仍未确认。',
    },
    hint: 'F5 再次查询：已付款即生成收据。F6 撤销：总部先查询，已付款仍生成收据，否则在支付渠道撤销。Esc 稍后处理：下次登录或开班时再提示。',
  },
};

export const enQr: Messages<typeof zhCNQr> = {
  kinds: {
    code: 'Scan to pay (payment code)',
    manual: 'QR / transfer (entered by hand, unconfirmed)',
  },
  code: 'Payment code',
  codeHint:
    "Scan the payment code on the customer's phone, or type it and press Enter: paid through head office with Alipay / WeChat Pay / UnionPay; the receipt comes only once the payment is confirmed.",
  manualHint:
    'Only records the reference of a payment the customer already made; this counter cannot confirm it: the receipt is marked "unconfirmed" until head office reconciles it. When you can scan, use "Scan to pay".',
  scanAnywhere:
    'Scan a payment code anywhere on this screen: the whole amount on screen by scan to pay',
  providers: {
    alipay: 'Alipay',
    wechat: 'WeChat Pay',
    unionpay: 'UnionPay',
  },
  running: {
    heading: 'Scan to pay {{amount}} · {{provider}}',
    waiting: 'Waiting for the customer to confirm on the phone…',
    hint: 'Paying through head office; this can take up to about 60 s. Do not close the program; do not let the customer pay again.',
    code: 'Payment code {{code}}',
  },
  declined: {
    heading: 'Scan to pay did not succeed: nothing charged',
    next: 'Nothing was recorded. Either ask the customer to refresh the payment code and scan it again, or use another method (cash, card).',
  },
  cancelled: {
    heading: 'The QR payment was cancelled: nothing charged',
    next: 'Nothing was recorded and the customer was not charged. Either ask the customer to refresh the payment code and scan again, or use another method (cash, card).',
  },
  failed: {
    heading: 'Scan to pay did not complete: nothing charged',
    next: 'Nothing was recorded. Do what the message above says and scan again, or use another method (cash, card).',
  },
  offline: {
    heading: 'Head office cannot be reached: scan to pay is not available',
    next: 'No QR payment was started and the customer was not charged. Take cash; take a card; or, if the customer already paid by phone or transfer, choose "QR / transfer (entered by hand, unconfirmed)" and type its reference (reconciled later).',
    keys: 'The cursor is on the kind of tender 1: ↑↓ picks cash, card or the hand-entered reference, Tab fills it in, Enter confirms.',
  },
  unknown: {
    heading: 'QR payment outcome unknown',
    next: 'Do not let the customer pay again. In the "Unconfirmed QR payments" window press F5 to ask again.',
  },
  errors: {
    codeInvalid:
      'Tender {{n}}: this is not an Alipay, WeChat Pay or UnionPay payment code (16–24 digits). Scan again, or check it and type it again.',
    split:
      'Tender {{n}}: scan to pay must take the whole amount alone. Press F8 to remove the other tenders.',
    amountFirst:
      'A payment code was scanned but the amount is wrong, nothing was charged: correct the amount, then scan again.',
  },
  facts: {
    heading: 'Scan to pay',
    channel: 'Channel',
    tradeNo: 'Trade no.',
    outTradeNo: 'Merchant order no.',
    buyer: 'Payer account',
    confirmation: 'Status',
    confirmed: 'Confirmed',
    unconfirmed: 'Unconfirmed (entered by hand, to be reconciled)',
    unconfirmedMark: 'unconfirmed',
    reference: 'Reference',
  },
  recovery: {
    heading: 'Unconfirmed QR payments',
    intro:
      'These QR payments have no definite outcome (program stopped, network down, or head office did not answer). The customer may have paid: ask first, do not let the customer pay again.',
    time: 'Started',
    amount: 'Amount',
    provider: 'Channel',
    code: 'Payment code',
    outTradeNo: 'Merchant order no.',
    state: 'State',
    unknownState: 'Outcome unknown',
    requery: 'Ask again',
    cancel: 'Cancel',
    later: 'Later',
    close: 'Close',
    working: 'Asking through head office, please wait…',
    select: '↑↓ select one',
    done: {
      completed: 'Payment confirmed: receipt {{label}} issued.',
      failed: 'Not charged; closed.',
      cancelled: 'Cancelled; not charged.',
      intent: 'Still unconfirmed.',
    },
    hint: 'F5 ask again: a paid sale becomes its receipt. F6 cancel: head office asks first (paid still becomes a receipt), otherwise cancels with the provider. Esc later: shown again at the next log-in or shift open.',
  },
};
