import { memoryChannelPair } from '../../src-main/devices/card-terminal/memory-channel';
import {
  ZvtTerminalSimulator,
  type SimScript,
} from '../../src-main/devices/card-terminal/simulator';
import { ZvtCardTerminal } from '../../src-main/devices/card-terminal/zvt-driver';
import { attachCardTerminal } from '../../src-main/features/card/card-payments';
import type { ServiceContext } from '../../src-main/services/context';

/** The real ZVT driver and simulator joined by an in-memory line, attached to `ctx` (not connected). */
export function attachMemoryCardTerminal(ctx: ServiceContext, script: SimScript = {}) {
  let sim: ZvtTerminalSimulator | null = null;
  const driver = new ZvtCardTerminal({
    open: async () => {
      const [ecr, pt] = memoryChannelPair();
      sim = new ZvtTerminalSimulator(pt, { script, timing: { t3Ms: 500 } });
      void sim.serve();
      return ecr;
    },
    timing: { t2Ms: 2000, t3Ms: 500, t4Ms: 5000 },
  });
  attachCardTerminal(ctx, driver);
  return { driver, sim: () => sim };
}

import { openSerialChannel, ZVT_SERIAL } from '../../src-main/devices/card-terminal/serial-channel';

/** Short protocol timers for tests (the real ones are T3 = 5 s, T4 = 180 s); loose enough for a busy CI box. */
export const FAST_TIMING = {
  t2Ms: 3000,
  t3Ms: 1000,
  t4Ms: 3000,
  maxAttempts: 3,
  interCharMs: 500,
};

/** The simulator on the `pt` end of a pty pair (in this process), with a journal file. */
export async function startSimulator(ptPath: string, journalFile: string, script: SimScript = {}) {
  const channel = await openSerialChannel({ ...ZVT_SERIAL, path: ptPath });
  const sim = new ZvtTerminalSimulator(channel, { journalFile, script, timing: FAST_TIMING });
  sim.onExit = () => void channel.close();
  const served = sim.serve();
  return { sim, channel, served };
}

/** The real driver on the `ecr` end of a pty pair. */
export function ptyDriver(ecrPath: string): ZvtCardTerminal {
  return new ZvtCardTerminal({
    open: () => openSerialChannel({ ...ZVT_SERIAL, path: ecrPath }),
    timing: FAST_TIMING,
  });
}
