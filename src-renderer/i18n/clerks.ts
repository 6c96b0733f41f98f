// Texts of the "Clerks and supervisors" supervisor screen (F9 work menu).
import type { Messages } from './zh-CN';

export const zhCNClerks = {
  menu: '收费员与主管',
  heading: '添加收费员或主管',
  hint: '新人员用这里设的初始密码登录。减免/核销需要几位不同主管，见“供热业务 → 收费标准”的规则设置。',
  code: '工号',
  name: '姓名',
  role: '角色',
  roles: { clerk: '收费员', supervisor: '主管' },
  pin: '初始密码（4–12 位数字）',
  pinAgain: '再次输入初始密码',
  approval: '由主管授权',
  submit: '添加',
  done: '已添加{{role}} {{code}} {{name}}，可用初始密码登录。',
  problems: {
    code: '工号只能是字母和数字，最多 20 位。',
    name: '请填写姓名（最多 20 个字）。',
    pin: '初始密码须为 4–12 位数字。',
    pinAgain: '两次输入的初始密码不一致，请重新输入。',
    supervisor: '请主管输入工号和密码授权。',
  },
};

export const enClerks: Messages<typeof zhCNClerks> = {
  menu: 'Clerks and supervisors',
  heading: 'Add a clerk or supervisor',
  hint: 'The new person logs in with the first PIN set here. How many different supervisors a reduction/write-off needs is a rule setting (Heating rules → Seasons & rates).',
  code: 'Code',
  name: 'Name',
  role: 'Role',
  roles: { clerk: 'Clerk', supervisor: 'Supervisor' },
  pin: 'First PIN (4–12 digits)',
  pinAgain: 'First PIN again',
  approval: 'Approved by a supervisor',
  submit: 'Add',
  done: 'Added {{role}} {{code}} {{name}}; they log in with the first PIN.',
  problems: {
    code: 'The code may only have letters and digits, at most 20.',
    name: 'Enter the name (at most 20 characters).',
    pin: 'The first PIN must be 4–12 digits.',
    pinAgain: 'The two first PINs differ; type them again.',
    supervisor: 'A supervisor enters their code and PIN to approve.',
  },
};
