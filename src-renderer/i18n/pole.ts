// Texts of the pole display (客显) settings screen (F9 work menu, supervisor).
import type { Messages } from './zh-CN';

export const zhCNPole = {
  menu: '客显（顾客显示屏）设置',
  heading: '客显设置',
  intro:
    '收费窗口上的 8 位 LED 客显：总计、收款、找零随收费员的操作显示；不用客显时关闭即可，收费不受影响。',
  enabled: '启用客显',
  port: '串口',
  portHint: '例：/dev/ttyUSB0 或 COM3',
  baud: '波特率',
  baudHint: '客显出厂一般为 2400',
  save: '保存',
  test: '测试',
  saved: '客显设置已保存（{{port}}）。',
  savedOff: '客显已关闭。',
  tested: '客显应显示“总计 8888.88”，约 3 秒后清屏。请看客显确认。',
  notEnabled: '客显未启用：请先选择串口、打开“启用客显”并保存，再点“测试”。',
  statusHeading: '客显状态',
  shownNow: '正在显示',
  blank: '（空白）',
  lamps: {
    off: '无指示灯',
    price: '单价',
    total: '总计',
    collect: '收款',
    change: '找零',
  },
  states: {
    off: '未启用',
    connecting: '正在连接',
    ready: '正常',
    absent: '未连接',
    error: '故障',
  },
  problems: {
    port: '请选择或输入客显的串口（如 /dev/ttyUSB0 或 COM3）。',
    pin: '请输入主管密码（4–12 位数字）。',
  },
  keys: {
    save: '保存',
    test: '测试',
  },
};

export const enPole: Messages['pole'] = {
  menu: 'Pole display settings',
  heading: 'Pole display',
  intro:
    'The 8-digit LED display at the window: total, tendered and change follow the clerk’s screen. Switch it off when there is none; payments never depend on it.',
  enabled: 'Use a pole display',
  port: 'Serial port',
  portHint: 'e.g. /dev/ttyUSB0 or COM3',
  baud: 'Baud rate',
  baudHint: 'usually 2400 from the factory',
  save: 'Save',
  test: 'Test',
  saved: 'Pole display settings saved ({{port}}).',
  savedOff: 'Pole display switched off.',
  tested:
    'The display should show “TOTAL 8888.88” and clear after about 3 seconds. Look at it to confirm.',
  notEnabled: 'No pole display is on: pick its port, switch it on and save, then test.',
  statusHeading: 'Pole display state',
  shownNow: 'Showing',
  blank: '(blank)',
  lamps: {
    off: 'no lamp',
    price: 'PRICE',
    total: 'TOTAL',
    collect: 'COLLECT',
    change: 'CHANGE',
  },
  states: {
    off: 'Off',
    connecting: 'Connecting',
    ready: 'Working',
    absent: 'Not connected',
    error: 'Fault',
  },
  problems: {
    port: 'Pick or type the display’s serial port (e.g. /dev/ttyUSB0 or COM3).',
    pin: 'Enter the supervisor PIN (4–12 digits).',
  },
  keys: {
    save: 'Save',
    test: 'Test',
  },
};
