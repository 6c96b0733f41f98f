// Texts of counter updates (README "Updates / 更新"): the status bar part and the supervisor's
// panel on the head-office screen (F9 总部同步 / 入网).
import type { Messages } from './zh-CN';

export const zhCNUpdates = {
  status: '更新',
  bar: {
    downloading: '正在下载更新 {{version}}',
    waiting: '更新 {{version}} 已下载，下一位顾客之前安装',
    waitingFor: '更新 {{version}} 已下载，等{{what}}结束后、下一位顾客之前安装',
    installing: '正在安装更新 {{version}}，程序将重新启动',
    refused: '更新被拒绝：请主管在“总部同步 / 入网”查看',
  },
  and: '、',
  busy: {
    card: '银行卡交易',
    qr: '扫码交易',
    customer: '当前顾客结账',
    print: '票据打印',
  },
  heading: '程序更新',
  hint: '更新由总部发布。已下载的更新只在两位顾客之间安装：没有未完成的银行卡交易、没有正在结账的顾客、没有正在打印的票据。安装时程序会自动重新启动。',
  phase: '状态',
  phases: {
    unavailable: '仅桌面版程序可自动更新（当前为网页版）',
    idle: '尚未检查',
    checking: '正在检查…',
    up_to_date: '已是最新版本',
    downloading: '正在下载',
    waiting: '已下载，等待两位顾客之间安装',
    installing: '正在安装',
    refused: '已拒绝（不会安装）',
    error: '检查失败',
  },
  current: '当前版本',
  offered: '新版本',
  schema: '账本版本',
  schemaValue: '本机 {{ledger}}，新版本 {{release}}',
  lastCheck: '上次检查',
  never: '从未',
  waitsFor: '正在等待',
  error: '错误',
  check: '检查更新',
  checkHint: '主管工号和密码',
  refusals: {
    malformed: '总部发布的更新文件格式不对。请联系总部信息部门重新发布。',
    not_enrolled: '本机尚未入网，无法验证总部签名。请先在本页入网，再检查更新。',
    unsigned:
      '更新没有总部签名，可能不是总部发布的。未安装。请联系总部信息部门核实更新服务器地址。',
    bad_signature:
      '更新的签名不是本机信任的总部密钥签的，或内容被改动过。未安装。请联系总部信息部门核实，不要手工安装此版本。',
    web_installer: '总部发布的是网络安装包，本机不接受。请联系总部信息部门改为发布完整安装包。',
    schema_downgrade:
      '这个版本的账本版本比本机旧，安装后无法打开本机账本。未安装。请联系总部信息部门发布不低于本机账本版本的程序。',
    sha512_mismatch:
      '下载的安装包与总部签名的不一致（文件损坏或被替换）。未安装。请稍后再检查更新；再次出现请联系总部信息部门。',
  },
  refusedAt: '{{version}} 于 {{time}} 被拒绝：',
  keepWorking: '本机照常收费，不受影响。',
};

export const enUpdates: Messages['updates'] = {
  status: 'Update',
  bar: {
    downloading: 'Downloading update {{version}}',
    waiting: 'Update {{version}} downloaded; installs before the next customer',
    waitingFor:
      'Update {{version}} downloaded; installs once the {{what}} is finished, before the next customer',
    installing: 'Installing update {{version}}; the program restarts',
    refused: 'Update refused: supervisor, see Head office / enrollment',
  },
  and: ' and ',
  busy: {
    card: 'card transaction',
    qr: 'QR payment',
    customer: 'customer being served',
    print: 'receipt printing',
  },
  heading: 'Program updates',
  hint: 'Head office publishes updates. A downloaded update installs only between customers: no card transaction open, no customer being served, no receipt printing. The program restarts by itself.',
  phase: 'State',
  phases: {
    unavailable: 'Only the desktop app updates itself (this is the web version)',
    idle: 'Not checked yet',
    checking: 'Checking…',
    up_to_date: 'Up to date',
    downloading: 'Downloading',
    waiting: 'Downloaded; installs between customers',
    installing: 'Installing',
    refused: 'Refused (will not be installed)',
    error: 'Check failed',
  },
  current: 'This version',
  offered: 'New version',
  schema: 'Ledger schema',
  schemaValue: 'this ledger {{ledger}}, new version {{release}}',
  lastCheck: 'Last check',
  never: 'never',
  waitsFor: 'Waiting for',
  error: 'Error',
  check: 'Check for updates',
  checkHint: 'supervisor code and PIN',
  refusals: {
    malformed:
      'The update file head office published is not in the right format. Ask head-office IT to publish it again.',
    not_enrolled:
      'This terminal is not enrolled, so head office’s signature cannot be checked. Enroll on this screen first, then check again.',
    unsigned:
      'The update carries no head-office signature and may not come from head office. Not installed. Ask head-office IT to check the update server address.',
    bad_signature:
      'The update is not signed by the head-office key this terminal trusts, or it was changed. Not installed. Ask head-office IT; do not install this version by hand.',
    web_installer:
      'Head office published a web installer, which this terminal does not accept. Ask head-office IT to publish the full installer.',
    schema_downgrade:
      'This version ships an older ledger schema than this terminal’s and could not open its ledger. Not installed. Ask head-office IT to publish a version not older than this ledger.',
    sha512_mismatch:
      'The downloaded installer is not the one head office signed (damaged or replaced). Not installed. Check again later; if it happens again, call head-office IT.',
  },
  refusedAt: '{{version}} refused at {{time}}: ',
  keepWorking: 'The counter keeps working as usual.',
};
