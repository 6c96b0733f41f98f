// Texts of sync freshness (account screen, status bar) and the cheque screen (F9 支票管理).
import type { Messages } from './zh-CN';

export const zhCNSync = {
  asOf: '余额截至 {{time}}（上次与总部同步），含其他网点、银行代扣、网上缴费及支票到账/退票。',
  never:
    '本机尚未与总部同步：其他网点、银行代扣或网上缴费的款项可能未计入。如用户称已缴费，请联系总部核实。',
  stale:
    '余额数据已 {{age}} 未与总部同步（超过 {{limit}}）。其他网点或银行的缴费可能未计入；如用户称已缴费，请先联系总部核实再收费。',
  hours: '{{count}} 小时',
  days: '{{count}} 天',
  minutes: '{{count}} 分钟',
  status: {
    online: '在线',
    offline: '离线',
    oldest: '最早待传 {{age}}前',
    lastError: '上次错误：{{text}}',
  },
  settings: {
    menu: '总部同步 / 入网',
    heading: '与总部同步',
    state: '状态',
    url: '总部地址',
    none: '未设置',
    pending: '待上传笔数',
    lastSuccess: '上次同步成功',
    lastPush: '上次上传',
    lastError: '上次错误',
    never: '从未',
    enrollHeading: '入网（用总部发放的入网码）',
    enrollHint:
      '首次使用、令牌丢失或更换签名密钥后，向总部索取入网码（一次有效，72 小时内使用），输入总部地址和入网码，由主管授权。已上传的账本不受影响。',
    code: '入网码',
    codeHint: '16 位字母或数字，如 7K3D-9QXA-M2PF-8HZT，不区分大小写',
    enrolled:
      '入网成功：终端 {{terminal}}，签名密钥 {{key}} 号（自第 {{seq}} 笔起有效），已记住总部密钥 {{hoKey}}…',
    chainDiffers:
      '注意：总部保存的本机账本（到第 {{seq}} 笔）与本机不一致，下次上传会被总部隔离。请联系总部信息部门。',
    problems: {
      url: '请输入总部地址，如 https://ho.example:5480',
      code: '入网码应为 16 位字母或数字（4 组，每组 4 位），请核对后重新输入。',
      supervisor: '请输入主管工号和密码（4–12 位数字）。',
    },
    keys: {
      enroll: '入网',
      refresh: '刷新',
      test: '测试连接',
    },
  },
  cheques: {
    menu: '支票管理',
    heading: '支票管理',
    filter: {
      pending: '待处理',
      bounced: '已退票',
      cleared: '已到账',
      all: '全部',
    },
    summary: '{{filter}}：{{count}} 张，合计 {{total}}',
    empty: '没有{{filter}}的支票。',
    col: {
      receipt: '收据号',
      date: '收款日',
      household: '户号 / 户名',
      chequeNo: '支票号',
      bank: '开户行',
      amount: '金额',
      status: '状态',
      decided: '处理',
    },
    state: {
      pending: '待到账',
      cleared: '已到账',
      bounced: '已退票',
    },
    source: {
      counter: '本机',
      'head-office': '总部',
    },
    clearHeading: '确认支票到账：{{receipt}} · {{amount}}',
    bounceHeading: '登记退票：{{receipt}} · {{amount}}',
    clearedOn: '到账日期（YYYY-MM-DD）',
    bouncedOn: '退票日期（YYYY-MM-DD）',
    reason: '退票原因',
    bounceWarn: '退票后该户将恢复欠费 {{amount}}（按支票所付各供暖季），收据标记为“已退票”。',
    clearedDone: '支票已到账：{{receipt}} {{amount}}，计入今日实收。',
    bouncedDone: '已退票：{{receipt}}，{{household}} 恢复欠费 {{amount}}（{{seasons}}）。',
    dateInvalid: '日期格式应为 YYYY-MM-DD。',
    reasonMissing: '请填写退票原因。',
    notSupervisor: '支票到账/退票须主管（财务）登录后处理。',
    keys: {
      clear: '到账',
      bounce: '退票',
      filter: '切换列表',
      confirm: '确认',
    },
  },
};

export const enSync: Messages['sync'] = {
  asOf: 'Balance as of {{time}} (last sync with head office), including other counters, bank withholding, online payments and cheque clearances/bounces.',
  never:
    'This terminal has not synced with head office yet: payments at other counters, by bank withholding or online may be missing. If the household says it paid, check with head office.',
  stale:
    'Balances last synced with head office {{age}} ago (more than {{limit}}). Payments elsewhere may be missing; if the household says it paid, check with head office before collecting.',
  hours: '{{count}} h',
  days: '{{count}} days',
  minutes: '{{count}} min',
  status: {
    online: 'online',
    offline: 'offline',
    oldest: 'oldest pending {{age}} ago',
    lastError: 'last error: {{text}}',
  },
  settings: {
    menu: 'Head office / enrollment',
    heading: 'Sync with head office',
    state: 'State',
    url: 'Head-office address',
    none: 'not set',
    pending: 'Events waiting',
    lastSuccess: 'Last successful sync',
    lastPush: 'Last upload',
    lastError: 'Last error',
    never: 'never',
    enrollHeading: 'Enroll (with the code head office issued)',
    enrollHint:
      'On first use, after a lost token or a new signing key, ask head office for an enrollment code (one use, valid 72 h), enter the address and the code; a supervisor approves. Events already sent stay as they are.',
    code: 'Enrollment code',
    codeHint: '16 letters or digits, e.g. 7K3D-9QXA-M2PF-8HZT, any case',
    enrolled:
      'Enrolled: terminal {{terminal}}, signing key no. {{key}} (valid from event {{seq}}); head-office key {{hoKey}}… is pinned.',
    chainDiffers:
      'Attention: what head office holds of this ledger (up to event {{seq}}) differs from this terminal; the next upload will be quarantined. Call head-office IT.',
    problems: {
      url: 'Enter the head-office address, e.g. https://ho.example:5480',
      code: 'The enrollment code is 16 letters or digits (4 groups of 4); check it and type it again.',
      supervisor: 'Enter the supervisor code and PIN (4–12 digits).',
    },
    keys: {
      enroll: 'Enroll',
      refresh: 'Refresh',
      test: 'Test connection',
    },
  },
  cheques: {
    menu: 'Cheques',
    heading: 'Cheques',
    filter: {
      pending: 'Pending',
      bounced: 'Bounced',
      cleared: 'Cleared',
      all: 'All',
    },
    summary: '{{filter}}: {{count}} cheques, total {{total}}',
    empty: 'No {{filter}} cheques.',
    col: {
      receipt: 'Receipt',
      date: 'Paid on',
      household: 'Account / name',
      chequeNo: 'Cheque no.',
      bank: 'Bank',
      amount: 'Amount',
      status: 'Status',
      decided: 'Decision',
    },
    state: {
      pending: 'Pending',
      cleared: 'Cleared',
      bounced: 'Bounced',
    },
    source: {
      counter: 'this counter',
      'head-office': 'head office',
    },
    clearHeading: 'Confirm cheque cleared: {{receipt}} · {{amount}}',
    bounceHeading: 'Record bounced cheque: {{receipt}} · {{amount}}',
    clearedOn: 'Cleared on (YYYY-MM-DD)',
    bouncedOn: 'Bounced on (YYYY-MM-DD)',
    reason: 'Reason',
    bounceWarn:
      'After the bounce the household owes {{amount}} again (the seasons the cheque paid) and the receipt is marked bounced.',
    clearedDone: 'Cheque cleared: {{receipt}} {{amount}}, counted as collected today.',
    bouncedDone: 'Bounced: {{receipt}}; {{household}} owes {{amount}} again ({{seasons}}).',
    dateInvalid: 'Use the date format YYYY-MM-DD.',
    reasonMissing: 'Enter the reason the cheque bounced.',
    notSupervisor: 'Clearing or bouncing cheques needs a supervisor (finance) login.',
    keys: {
      clear: 'Cleared',
      bounce: 'Bounced',
      filter: 'Switch list',
      confirm: 'Confirm',
    },
  },
};
