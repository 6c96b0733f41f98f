// Texts of the card-terminal flow (payment by card, live terminal texts, recovery, manual mode).
import type { Messages } from './zh-CN';

export const zhCNCard = {
  mode: '刷卡方式',
  modes: {
    terminal: '刷卡机（联机）',
    manual: '手工登记（独立刷卡机）',
  },
  onTerminal: '确认后在刷卡机上收取本笔全部金额，请客户按刷卡机提示操作。',
  manualHint: '请先在独立刷卡机上刷卡，成功后输入签购单上的参考号和授权码，收据将标记为“手工”。',
  authCode: '授权码',
  running: {
    heading: '刷卡机收款中 {{amount}}',
    waiting: '正在连接刷卡机…',
    abortHint: '按 Esc 取消交易（刷卡机确认前有效）。不要关闭程序，不要拔线。',
    abort: '取消交易',
    aborting: '已请求取消，等待刷卡机确认…',
  },
  declined: {
    heading: '刷卡未成功，未收费',
    next: '未记录任何收款。可以：按回车重试；改用其他支付方式（现金、扫码）；或在独立刷卡机上刷卡后选择“手工登记”。',
  },
  failed: {
    heading: '刷卡未完成，未收费',
    next: '未记录任何收款。请检查刷卡机电源和串口线后按 F5 重新连接，再按回车重试；也可改用其他支付方式或手工登记。',
  },
  unknown: {
    heading: '刷卡结果未确认',
    next: '不要让客户再次刷卡。请在弹出的“未确认刷卡”窗口中查询刷卡机后处理。',
  },
  reconnect: '重新连接刷卡机',
  reconnected: '刷卡机已重新连接。',
  reconnectFailed: '仍无法连接刷卡机。请检查电源和串口线，或改用其他支付方式。',
  facts: {
    heading: '银行卡信息',
    maskedPan: '卡号',
    brand: '卡组织',
    authCode: '授权码',
    traceNo: '流水号',
    terminalReceiptNo: '终端凭证号',
    terminalId: '终端号',
    mode: '方式',
    modeTerminal: '刷卡机联机',
    modeManual: '手工登记',
  },
  manualMark: '手工',
  recovery: {
    heading: '未确认的刷卡交易',
    intro:
      '以下刷卡交易在程序中断、断线或超时后结果未确认。请逐笔查询刷卡机后处理；处理完之前不能收下一笔刷卡。',
    amount: '金额',
    time: '发起时间',
    state: '状态',
    states: {
      intent: '已发送，结果未知',
      approved: '刷卡机已批准，收据未开',
    },
    querying: '正在查询刷卡机…',
    terminalSays: '刷卡机最后一笔交易',
    noTransaction: '刷卡机没有可对应的交易。',
    unreachable: '无法查询刷卡机',
    record: '补记为已收款',
    reverse: '在刷卡机上撤销',
    fail: '标记失败（未扣款）',
    requery: '重新查询',
    later: '稍后处理',
    close: '关闭',
    resolving: '正在处理…',
    done: {
      completed: '已补记：收据 {{label}}。',
      reversed: '已在刷卡机上撤销，未收费。',
      failed: '已标记失败，未收费。可以重新收款。',
    },
    supervisorNote: '处理结果会记录处理人；撤销在刷卡机上执行，以刷卡机凭证为准。',
  },
  errors: {
    terminalSplit:
      '第 {{n}} 个支付方式：刷卡机联机收款须单独收取全部金额。请删除其他支付方式，或改为“手工登记”。',
  },
} as const;

export const enCard: Messages<typeof zhCNCard> = {
  mode: 'Card mode',
  modes: {
    terminal: 'Card terminal (online)',
    manual: 'Manual entry (standalone terminal)',
  },
  onTerminal:
    'On confirm the card terminal takes the whole amount; ask the customer to follow its prompts.',
  manualHint:
    'Take the card on the standalone terminal first, then key in the reference and auth code from its slip; the receipt is marked "manual".',
  authCode: 'Auth code',
  running: {
    heading: 'Card payment on the terminal {{amount}}',
    waiting: 'Contacting the card terminal…',
    abortHint:
      'Esc cancels the transaction (until the terminal confirms). Do not close the program or pull the cable.',
    abort: 'Cancel transaction',
    aborting: 'Cancel requested; waiting for the terminal…',
  },
  declined: {
    heading: 'Card payment not approved: nothing charged',
    next: 'Nothing was recorded. You can: press Enter to retry; use another tender (cash, QR); or take the card on a standalone terminal and choose "manual entry".',
  },
  failed: {
    heading: 'Card payment not completed: nothing charged',
    next: 'Nothing was recorded. Check the terminal’s power and cable, press F5 to reconnect, then Enter to retry; or use another tender or manual entry.',
  },
  unknown: {
    heading: 'Card payment outcome unconfirmed',
    next: 'Do not let the customer pay again. Query the terminal in the "unconfirmed card payments" window and resolve it.',
  },
  reconnect: 'Reconnect card terminal',
  reconnected: 'Card terminal reconnected.',
  reconnectFailed:
    'Still cannot reach the card terminal. Check power and cable, or use another tender.',
  facts: {
    heading: 'Card details',
    maskedPan: 'Card',
    brand: 'Brand',
    authCode: 'Auth code',
    traceNo: 'Trace no.',
    terminalReceiptNo: 'Terminal receipt no.',
    terminalId: 'Terminal ID',
    mode: 'Mode',
    modeTerminal: 'Card terminal',
    modeManual: 'Manual entry',
  },
  manualMark: 'manual',
  recovery: {
    heading: 'Unconfirmed card payments',
    intro:
      'These card payments have no confirmed outcome after a crash, a dropped line or a timeout. Query the terminal for each and resolve it; no new card payment until then.',
    amount: 'Amount',
    time: 'Started',
    state: 'State',
    states: {
      intent: 'Sent, outcome unknown',
      approved: 'Approved by the terminal, no receipt yet',
    },
    querying: 'Querying the card terminal…',
    terminalSays: 'The terminal’s last transaction',
    noTransaction: 'The terminal has no matching transaction.',
    unreachable: 'Cannot query the card terminal',
    record: 'Record as paid',
    reverse: 'Reverse on the terminal',
    fail: 'Mark failed (not charged)',
    requery: 'Query again',
    later: 'Later',
    close: 'Close',
    resolving: 'Working…',
    done: {
      completed: 'Recorded: receipt {{label}}.',
      reversed: 'Reversed on the terminal; nothing charged.',
      failed: 'Marked failed; nothing charged. Take the payment again.',
    },
    supervisorNote:
      'Who resolved it is recorded; a reversal runs on the terminal, whose slip is the proof.',
  },
  errors: {
    terminalSplit:
      'Tender {{n}}: a card on the terminal must take the whole amount alone. Remove the other tenders, or switch to "manual entry".',
  },
};
