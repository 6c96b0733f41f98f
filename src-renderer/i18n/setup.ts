// Texts of the first-run setup screen (issue 19).
import type { Messages } from './zh-CN';

export const zhCNSetup = {
  heading: '新收费终端设置',
  terminal: '本机：{{name}}（终端号 {{id}}）。设置完成前不能登录收费。',
  back: '返回选择',
  continue: '开始使用（登录）',
  enroll: {
    choice: '向总部入网',
    explain: '输入总部地址和总部发放的一次性入网码；收费员、票据本、用户、采暖季和单价自动下载。',
    hint: '入网码由总部信息部门在控制台生成（72 小时内有效，只能用一次），不区分大小写。',
    retryHint: '本机已入网，但主数据尚未下载完成。检查网络后按回车重新下载，不需要再输入入网码。',
    url: '总部地址',
    code: '入网码',
    submit: '入网并下载',
    retry: '重新下载',
    problems: {
      url: '请输入总部地址，如 https://ho.example:5480',
      code: '入网码应为 16 位字母或数字（4 组，每组 4 位），请核对后重新输入。',
    },
  },
  restore: {
    choice: '从备份恢复',
    explain: '换电脑或重装后，从 U 盘或共享文件夹中的备份恢复本窗口的账本（先校验，再恢复）。',
    hint: '输入备份所在的文件夹（例如 U 盘），按回车列出备份；选中一个备份按回车恢复。损坏的备份不会被恢复。',
    dir: '备份文件夹',
    list: '列出备份',
    none: '该文件夹中没有备份文件。请检查路径后重试。',
    submit: '恢复',
    problems: { dir: '请输入备份所在的文件夹。' },
  },
  demo: {
    choice: '演示账本',
    explain: '仅用于培训或试用：生成虚构的演示小区，处处标有“演示”，不能用于真实收费。',
    warning:
      '演示账本中的用户、收费员（密码 123456 / 888888）均为虚构，所有收据和报表标有“演示”。真实收费请选择入网或恢复。',
    submit: '生成演示账本',
  },
  done: {
    enroll: '入网完成，主数据已下载。',
    restore: '备份已校验并恢复。',
    demo: '演示账本已生成（标有“演示”）。',
    counts:
      '收费员 {{clerks}} 人，用户 {{households}} 户，采暖季 {{seasons}} 个，票据本 {{books}} 本。',
  },
};

export const enSetup: Messages['setup'] = {
  heading: 'Set up this counter',
  terminal: 'This PC: {{name}} (terminal {{id}}). Nobody can log in until it is set up.',
  back: 'Back to the choices',
  continue: 'Start (log in)',
  enroll: {
    choice: 'Enroll with head office',
    explain:
      'Enter head office’s address and the one-time enrollment code it issued; clerks, receipt books, households, seasons and rates download by themselves.',
    hint: 'Head office IT creates the code in its console (valid 72 hours, once); letters are not case-sensitive.',
    retryHint:
      'This counter is enrolled, but the master data did not download completely. Check the network and press Enter to download again; the code is not needed again.',
    url: 'Head-office address',
    code: 'Enrollment code',
    submit: 'Enroll and download',
    retry: 'Retry download',
    problems: {
      url: 'Enter head office’s address, e.g. https://ho.example:5480',
      code: 'An enrollment code has 16 letters or digits (4 groups of 4); check it and type it again.',
    },
  },
  restore: {
    choice: 'Restore a backup',
    explain:
      'After a new PC or a reinstall: restore this counter’s ledger from a backup on a USB disk or a share (verified first, then restored).',
    hint: 'Enter the folder that holds the backups (e.g. the USB disk) and press Enter to list them; pick one and press Enter to restore it. A damaged backup is never restored.',
    dir: 'Backup folder',
    list: 'List backups',
    none: 'No backup files in this folder. Check the path and try again.',
    submit: 'Restore',
    problems: { dir: 'Enter the folder that holds the backups.' },
  },
  demo: {
    choice: 'Demo ledger',
    explain:
      'For training or a trial only: a made-up demo district, marked DEMO everywhere; not for real collection.',
    warning:
      'The households and clerks of the demo ledger (PINs 123456 / 888888) are made up; every receipt and report is marked DEMO. For real collection, enroll or restore.',
    submit: 'Create the demo ledger',
  },
  done: {
    enroll: 'Enrolled; the master data has downloaded.',
    restore: 'The backup was verified and restored.',
    demo: 'The demo ledger was created (marked DEMO).',
    counts:
      '{{clerks}} clerks, {{households}} households, {{seasons}} seasons, {{books}} receipt books.',
  },
};

export const zhCNPinChange = {
  heading: '{{name}}：首次登录，请设置新密码',
  hint: '总部发放的初始密码只能用这一次。新密码至少 6 位数字，不能全部相同、连续（如 123456）、与工号或原密码相同。',
  current: '初始密码',
  new: '新密码',
  again: '再次输入新密码',
  submit: '保存新密码',
  problems: {
    current: '请输入总部发放的初始密码（4–12 位数字）。',
    new: '新密码应为 6–12 位数字。',
    mismatch: '两次输入的新密码不一致，请再输入一次。',
  },
};

export const enPinChange: Messages['pinChange'] = {
  heading: '{{name}}: first log-in, set a new PIN',
  hint: 'The initial PIN head office issued works this once only. The new PIN: at least 6 digits, not all the same, not a run (like 123456), not the clerk code or the current PIN.',
  current: 'Initial PIN',
  new: 'New PIN',
  again: 'New PIN again',
  submit: 'Save the new PIN',
  problems: {
    current: 'Enter the initial PIN head office issued (4–12 digits).',
    new: 'The new PIN has 6–12 digits.',
    mismatch: 'The two new PINs differ; type it again.',
  },
};
