// The cash-control screens of the F9 work menu (spread into menuEntries with one line).
import type { MenuEntry } from '../menu/entries';
import { CashToolsPage } from './CashToolsPage';
import { CloseShiftPage } from './CloseShiftPage';
import { ReportsPage } from './ReportsPage';
import { XReportPage } from './XReportPage';

/** The close-shift wizard's screen id (F8 opens it). */
export const CLOSE_SHIFT_ID = 'cash-close';

export const cashMenuEntries: MenuEntry[] = [
  { id: CLOSE_SHIFT_ID, labelKey: 'cash.menu.close', roles: 'clerk', Screen: CloseShiftPage },
  { id: 'cash-x', labelKey: 'cash.menu.xReport', roles: 'clerk', Screen: XReportPage },
  { id: 'cash-tools', labelKey: 'cash.menu.tools', roles: 'clerk', Screen: CashToolsPage },
  { id: 'cash-reports', labelKey: 'cash.menu.reports', roles: 'supervisor', Screen: ReportsPage },
];
