// Dunning, service log, import and collector report screens of the F9 work menu.
import type { MenuEntry } from '../menu/entries';
import { CollectorPage } from './CollectorPage';
import { DunningPage } from './DunningPage';
import { ImportPage } from './ImportPage';
import { ServiceLogPage } from './ServiceLogPage';

export const dunningMenuEntries: MenuEntry[] = [
  {
    id: 'dunning',
    labelKey: 'dunning.menu.dunning',
    roles: 'clerk',
    render: (p) => <DunningPage {...p} />,
  },
  {
    id: 'service-log',
    labelKey: 'dunning.menu.service',
    roles: 'clerk',
    render: (p) => <ServiceLogPage {...p} />,
  },
  {
    id: 'import',
    labelKey: 'dunning.menu.import',
    roles: 'supervisor',
    render: (p) => <ImportPage {...p} />,
  },
  {
    id: 'collector',
    labelKey: 'dunning.menu.collector',
    roles: 'supervisor',
    render: (p) => <CollectorPage {...p} />,
  },
];
