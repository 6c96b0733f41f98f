/**
 * Where a payment's time goes (issue 20: "what the rest of the time is spent on"): a CPU profile
 * (node:inspector, 100 µs sampling) of `payment.take` through dispatch, each sample given to the
 * innermost phase of the payment it was taken in. Phases are the functions of the payment path;
 * a phase's SQL runs inside it and counts to it. The commit's fsync shows as the BEGIN/COMMIT phase
 * (native time in better-sqlite3's transaction wrapper); bench/run.ts also reports it as the
 * difference to the same payments with synchronous = OFF.
 */
import { Session } from 'node:inspector/promises';
import { round } from './stats';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** [phase, test of a frame, final: deeper frames do not refine it]; checked root → leaf. */
const PHASES: [string, (name: string, url: string) => boolean, boolean][] = [
  ['dispatch: session, input validation, reply', (n) => n === 'dispatch', false],
  ['payment: lookups (shift, household, book, request id)', (n) => n === 'takePayment', false],
  ['transaction: clock check, chain head', (n) => n === 'writeTransaction', false],
  [
    'BEGIN / COMMIT (fsync)',
    (n, u) => n === 'sqliteTransaction' || /better-sqlite3/.test(u),
    false,
  ],
  [
    'payment: lookups (shift, household, book, request id)',
    (_, u) => /features\/payments\/payments\.ts$/.test(u),
    false,
  ],
  ['validation (zod)', (_, u) => /node_modules\/zod\//.test(u), true],
  ['master-row signature checks (Ed25519 verify)', (n) => n === 'requireSignedHouseholdRows', true],
  [
    'balances + allocation',
    (n) => ['seasonAccounts', 'allocate', 'allocateOldestFirst', 'allocateExplicit'].includes(n),
    true,
  ],
  ['tenders', (n) => n === 'settleTenders', true],
  ['event insert', (n) => n === 'appendEvent', false],
  [
    'hashing (canonical JSON, SHA-256)',
    (n) => ['canonicalJson', 'eventHashWithPayloadJson', 'sha256Hex', 'hash'].includes(n),
    true,
  ],
  ['signing (Ed25519)', (n) => n === 'sign' || n === 'signOneShot', true],
  ['projection', (n) => n === 'applyEvent', true],
  ['receipt views + paper code', (n) => n === 'issuedReceiptViews', true],
  ['paper: print jobs queued', (n) => n === 'queueReceiptWithPayment', true],
];

/** Profiles `run` (which takes `payments` payments) and splits its samples into phases. */
export async function profilePayments(
  payments: number,
  run: () => Promise<void>,
): Promise<{ msPerPayment: Record<string, number>; sampledMsPerPayment: number }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await run();
    const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const phaseOf = new Map<number, string | null>();
    const classify = (id: number): string | null => {
      const known = phaseOf.get(id);
      if (known !== undefined) return known;
      const chain: ProfileNode[] = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
        chain.push(byId.get(cur)!);
      chain.reverse();
      const gc = chain.at(-1)!.callFrame.functionName === '(garbage collector)';
      let phase: string | null = gc ? 'garbage collection' : null;
      if (!gc) {
        for (const frame of chain) {
          const rule = PHASES.find(([, test]) =>
            test(frame.callFrame.functionName, frame.callFrame.url),
          );
          if (!rule) continue;
          if (phase === null && rule[0] !== PHASES[0]![0]) continue; // outside a dispatch
          phase = rule[0];
          if (rule[2]) break;
        }
      }
      phaseOf.set(id, phase);
      return phase;
    };
    const us = new Map<string, number>();
    for (let i = 0; i < profile.samples.length; i++) {
      const phase = classify(profile.samples[i]!);
      if (phase) us.set(phase, (us.get(phase) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
    const msPerPayment = Object.fromEntries(
      [...us]
        .sort((a, b) => b[1] - a[1])
        .map(([phase, t]) => [phase, round(t / 1000 / payments, 3)]),
    );
    const total = [...us.values()].reduce((s, t) => s + t, 0);
    return { msPerPayment, sampledMsPerPayment: round(total / 1000 / payments, 3) };
  } finally {
    await session.post('Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
