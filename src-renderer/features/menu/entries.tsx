// The work menu (F9): every screen that is not part of taking a payment hangs here.
// Each feature adds ONE entry line below; the menu orders them as listed and numbers them from 1
// (two digits open 10 and up: MenuPage's menuDigit).
import type { ComponentType } from 'react';
import type { ScreenProps } from '../../app/types';
import { dunningMenuEntries } from '../dunning/entries';
import { PrinterSettingsPage } from '../printer/PrinterSettingsPage';
import { CardSettingsPage } from '../card/CardSettingsPage';
import { PoleSettingsPage } from '../pole/PoleSettingsPage';
import { cashMenuEntries } from '../cash/entries';
import { HeatingRulesPage } from '../rules/HeatingRulesPage';
import { BackupPage } from '../backup/BackupPage';
import { ClerksPage } from '../clerks/ClerksPage';
import { ChequesPage } from '../sync/ChequesPage';
import { SyncSettingsPage } from '../sync/SyncSettingsPage';
import { CustomerDisplayPage } from '../customer/CustomerDisplayPage';

export interface MenuEntry {
  /** Stable id, also the `data-testid` suffix (`menu-<id>`) and the screen key. */
  id: string;
  /** i18n key of the entry's title. */
  labelKey: string;
  /** Supervisors see every entry; clerks only those marked `clerk`. */
  roles: 'clerk' | 'supervisor';
  Screen: ComponentType<ScreenProps>;
}

export const menuEntries: MenuEntry[] = [
  { id: 'printer', labelKey: 'printer.menu', roles: 'supervisor', Screen: PrinterSettingsPage },
  {
    id: 'card-terminal',
    labelKey: 'card.settings.menu',
    roles: 'supervisor',
    Screen: CardSettingsPage,
  },
  ...cashMenuEntries,
  ...dunningMenuEntries,
  { id: 'heating-rules', labelKey: 'rules.menu', roles: 'clerk', Screen: HeatingRulesPage },
  { id: 'cheques', labelKey: 'sync.cheques.menu', roles: 'supervisor', Screen: ChequesPage },
  { id: 'backup', labelKey: 'backup.menu', roles: 'supervisor', Screen: BackupPage },
  { id: 'sync', labelKey: 'sync.settings.menu', roles: 'supervisor', Screen: SyncSettingsPage },
  { id: 'clerks', labelKey: 'clerks.menu', roles: 'supervisor', Screen: ClerksPage },
  { id: 'customer', labelKey: 'customer.menu', roles: 'clerk', Screen: CustomerDisplayPage },
  { id: 'pole', labelKey: 'pole.menu', roles: 'supervisor', Screen: PoleSettingsPage },
];

export function entriesFor(role: string): MenuEntry[] {
  return menuEntries.filter((e) => e.roles === 'clerk' || role === 'supervisor');
}
