import type { poleCommands } from '@heating-cashier/core/contract/pole-commands';
import { withClerk, withSupervisor, type HandlerTable } from '../../api/handler';
import { changePoleSettings, poleView, testPole } from './pole-display';

export const poleHandlers = {
  'pole.settings.get': withClerk((ctx) => poleView(ctx)),
  'pole.settings.set': withSupervisor((ctx, input, supervisor) =>
    changePoleSettings(ctx, supervisor, input),
  ),
  'pole.test': withClerk((ctx) => testPole(ctx)),
} satisfies HandlerTable<keyof typeof poleCommands>;
