import { z } from 'zod';
import { authed, command, supervisor } from './command';
import { fen, localized } from './primitives';

/** Line speeds the pole display (客显) offers; 2400 is its factory default. */
export const poleBaudRate = z.union([z.literal(2400), z.literal(4800), z.literal(9600)]);

/** A serial port path: /dev/ttyUSB0, /dev/pts/3, COM3 (no spaces, no shell characters). */
export const polePortPath = z
  .string()
  .trim()
  .min(1)
  .max(200)
  .regex(/^(\/dev\/[A-Za-z0-9/_.-]+|\/[A-Za-z0-9/_.-]+|COM\d{1,3})$/, 'port: /dev/… or COMn');

/** What the pole display shows: an amount under one of its four lamps, or nothing. */
export const poleShown = z.object({
  lamp: z.enum(['off', 'price', 'total', 'collect', 'change']),
  amountFen: fen.nullable(),
  /** The digits on the LED ('' when blank, "--------" when the amount is too long for 8 digits). */
  text: z.string(),
});

const poleView = z.object({
  enabled: z.boolean(),
  path: z.string(),
  baudRate: poleBaudRate,
  /** off: not enabled; ready: the last write went through; absent: no such port / unplugged; error: the line does not take data. */
  state: z.enum(['off', 'connecting', 'ready', 'absent', 'error']),
  /** What is wrong and what to do, in both languages; null when ready or off. */
  detail: localized.nullable(),
  shown: poleShown.nullable(),
  /** Ports the OS lists (a virtual port may be typed in instead). */
  ports: z.array(z.object({ path: z.string(), label: z.string() })),
});

/** The pole display (客显): settings, state, test. */
export const poleCommands = {
  'pole.settings.get': command({
    summary: 'Pole display (客显) settings, its state, what it shows, and the serial ports listed',
    input: z.object(authed).strict(),
    output: poleView,
  }),
  'pole.settings.set': command({
    summary:
      'Change the pole display settings (supervisor PIN); the port is opened first, a port that cannot be opened changes nothing',
    input: z
      .object({
        ...authed,
        ...supervisor,
        enabled: z.boolean(),
        path: z.union([polePortPath, z.literal('')]),
        baudRate: poleBaudRate,
      })
      .strict()
      .refine((v) => !v.enabled || v.path !== '', { message: 'port: required when enabled' }),
    output: poleView,
  }),
  'pole.test': command({
    summary:
      'Show 总计 8888.88 on the pole display, then clear it; answers the state after the write (off: none enabled)',
    input: z.object(authed).strict(),
    output: poleView,
  }),
} as const;
