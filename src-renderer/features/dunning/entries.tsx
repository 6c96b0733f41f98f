// Dunning, service log, import and collector report screens of the F9 work menu.
import type { MenuEntry } from '../menu/entries';
import { CollectorPage } from './CollectorPage';
import { DunningPage } from './DunningPage';
import { ImportPage } from './ImportPage';
import { ServiceLogPage } from './ServiceLogPage';

export const dunningMenuEntries: MenuEntry[] = [
  { id: 'dunning', labelKey: 'dunning.menu.dunning', roles: 'clerk', Screen: DunningPage },
  { id: 'service-log', labelKey: 'dunning.menu.service', roles: 'clerk', Screen: ServiceLogPage },
  { id: 'import', labelKey: 'dunning.menu.import', roles: 'supervisor', Screen: ImportPage },
  {
    id: 'collector',
    labelKey: 'dunning.menu.collector',
    roles: 'supervisor',
    Screen: CollectorPage,
  },
];
