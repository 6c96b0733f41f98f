/** Why a backup file is unfit for a restore; the UI words each in the clerk's language. */
export const BACKUP_PROBLEM_KINDS = [
  'checksum-missing',
  'checksum-mismatch',
  'unreadable',
  'not-sqlite',
  'integrity',
  'not-ledger',
  'no-identity',
  'chain',
  'open-failed',
] as const;
export type BackupProblemKind = (typeof BACKUP_PROBLEM_KINDS)[number];

/** The clerk-facing wording of each problem (the error catalog and `backup.verify` use it). */
export const BACKUP_PROBLEM_TEXT: Record<BackupProblemKind, { 'zh-CN': string; en: string }> = {
  'checksum-missing': {
    'zh-CN': '缺少校验文件（.sha256）',
    en: 'the checksum file (.sha256) is missing',
  },
  'checksum-mismatch': {
    'zh-CN': '校验和不符，备份后文件被改动过',
    en: 'checksum mismatch: the file changed after the backup',
  },
  unreadable: { 'zh-CN': '文件无法读取', en: 'the file cannot be read' },
  'not-sqlite': { 'zh-CN': '不是可读的数据库文件', en: 'not a readable database file' },
  integrity: { 'zh-CN': '数据库完整性检查未通过', en: 'the database integrity check failed' },
  'not-ledger': { 'zh-CN': '不是收费终端的数据文件', en: 'not a cashier ledger' },
  'no-identity': { 'zh-CN': '文件中没有终端身份', en: 'the file has no terminal identity' },
  chain: {
    'zh-CN': '哈希链校验未通过，记录被改动过',
    en: 'the hash chain does not verify: records were altered',
  },
  'open-failed': { 'zh-CN': '无法打开该备份', en: 'the backup cannot be opened' },
};
