// Who may call each operator route (server.ts's operator scope and the console's own routes).
// Every route of that scope must have an entry: server.ts refuses to build otherwise, and
// tests/integration/head-office/operators.test.ts calls each one without a session (401).
// The operator token (HO_ADMIN_TOKEN, scripted use) acts as an administrator.
import { z } from 'zod';

export const ROLES = ['admin', 'finance', 'manager', 'auditor'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

export interface Access {
  /**
   * The roles allowed; 'session': any signed-in operator (own session and password); 'public':
   * no session needed (login).
   */
  roles: readonly Role[] | 'session' | 'public';
  /** The audit log's action name for a state-changing request. */
  action: string;
}

const finance = ['admin', 'finance'] as const;
const reports = ['admin', 'finance', 'manager', 'auditor'] as const;

/** `${METHOD} ${route url}` → who. Reads (GET) are open to the auditor; writes name their roles. */
export const PERMISSIONS: Readonly<Record<string, Access>> = {
  // master data and enrollment: finance
  'POST /v1/enrollment-codes': { roles: finance, action: 'enrollment_code.issue' },
  'POST /v1/master/:kind': { roles: finance, action: 'master.upsert' },
  'POST /v1/import': { roles: finance, action: 'master.import' },
  'POST /v1/cheques/decisions': { roles: finance, action: 'cheque.decide' },
  'POST /v1/reports/qr-reconciliation': { roles: finance, action: 'qr.reconcile' },
  // a paper receipt checked: finance and the collection manager
  'POST /v1/receipts/check': {
    roles: ['admin', 'finance', 'manager'],
    action: 'receipt.check',
  },
  // exceptions resolved: the collection manager (cheque conflicts also finance)
  'POST /v1/reports/approval-exceptions/:eventId/resolve': {
    roles: ['admin', 'manager'],
    action: 'approval_exception.resolve',
  },
  'POST /v1/reports/cheque-conflicts/:id/resolve': {
    roles: ['admin', 'finance', 'manager'],
    action: 'cheque_conflict.resolve',
  },
  // settings: the administrator
  'PUT /v1/settings/relief-approvals': { roles: ['admin'], action: 'settings.relief_approvals' },
  // reports: everyone who reads
  'GET /v1/reports/receipt-numbers': { roles: reports, action: 'report.read' },
  'GET /v1/reports/reconciliation': { roles: reports, action: 'report.read' },
  'GET /v1/reports/approval-exceptions': { roles: reports, action: 'report.read' },
  'GET /v1/reports/overpayments': { roles: reports, action: 'report.read' },
  'GET /v1/reports/cheques': { roles: reports, action: 'report.read' },
  'GET /v1/reports/month': { roles: reports, action: 'report.read' },
  'GET /v1/receipts': { roles: reports, action: 'report.read' },
  // terminals' keys (the offline receipt checker) and chain verification
  'GET /v1/terminals/:terminalId/keys': { roles: ['admin', 'finance', 'auditor'], action: 'read' },
  'GET /v1/terminals/:terminalId/verify': { roles: reports, action: 'read' },
  // the console itself
  'POST /v1/console/login': { roles: 'public', action: 'login' },
  'POST /v1/console/logout': { roles: 'session', action: 'logout' },
  'GET /v1/console/session': { roles: 'session', action: 'session' },
  'POST /v1/console/password': { roles: 'session', action: 'password.change' },
  'GET /v1/console/operators': { roles: ['admin'], action: 'read' },
  'POST /v1/console/operators': { roles: ['admin'], action: 'operator.create' },
  'POST /v1/console/operators/:username/disable': { roles: ['admin'], action: 'operator.disable' },
  'POST /v1/console/operators/:username/enable': { roles: ['admin'], action: 'operator.enable' },
  'POST /v1/console/operators/:username/reset-password': {
    roles: ['admin'],
    action: 'operator.reset_password',
  },
  'POST /v1/console/operators/:username/unlock': { roles: ['admin'], action: 'operator.unlock' },
  'POST /v1/console/operators/:username/role': { roles: ['admin'], action: 'operator.role' },
  'GET /v1/console/audit': { roles: ['admin', 'auditor'], action: 'read' },
};

export const routeKey = (method: string, url: string) => `${method.toUpperCase()} ${url}`;

export function accessOf(method: string, url: string): Access | undefined {
  return Object.hasOwn(PERMISSIONS, routeKey(method, url))
    ? PERMISSIONS[routeKey(method, url)]
    : undefined;
}

export const isWrite = (method: string) =>
  !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
