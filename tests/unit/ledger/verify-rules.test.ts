// The verify's rules for keys, signatures and the alarm, on in-memory ledgers (ledger/verify.ts,
// features/terminal/integrity.ts). The attack suites on files are tests/integration/tamper*.ts and
// tests/integration/ledger-integrity.test.ts.
import { describe, expect, it } from 'vitest';
import { keyCertificateMessage } from '@heating-cashier/core/signing';
import { openTerminal, type OpenTerminal } from '../../../src-main/app/open-terminal';
import { LedgerIntegrity } from '../../../src-main/features/terminal/integrity';
import { appendEvent, chainHead } from '../../../src-main/ledger/event-log';
import { generateSigningKey } from '../../../src-main/ledger/signing';
import { writeTransaction } from '../../../src-main/ledger/transaction';
import { verifyFromCheckpoint, verifyLedger } from '../../../src-main/ledger/verify';
import { ServiceError } from '../../../src-main/services/context';

function fresh(): OpenTerminal {
  return openTerminal({ dbFile: ':memory:', demoIfEmpty: true, demoHouseholds: 5 });
}

function unguard(t: OpenTerminal) {
  t.ctx.db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete');
}

const full = (t: OpenTerminal) => verifyLedger(t.ctx.db, t.ctx.terminal.id);
const startup = (t: OpenTerminal) => verifyFromCheckpoint(t.ctx.db, t.ctx.terminal.id, null);

function enrol(
  t: OpenTerminal,
  over: Record<string, unknown> = {},
  sign = generateSigningKey().signer,
) {
  const key = t.ctx.db.prepare('SELECT * FROM terminal_keys ORDER BY key_no DESC').get() as {
    key_no: number;
    public_key: string;
    from_seq: number;
  };
  const claim = {
    terminalId: t.ctx.terminal.id,
    publicKey: key.public_key,
    fromSeq: key.from_seq,
    issuedAt: '2026-12-01T00:00:00.000Z',
  };
  writeTransaction(t.ctx, (append) =>
    appendEvent(
      append,
      'terminal.enrolled',
      {
        ...claim,
        keyNo: key.key_no,
        certificate: sign.sign(keyCertificateMessage(claim)),
        headOfficeKey: sign.publicKey,
        ...over,
      } as never,
      null,
    ),
  );
  return sign;
}

describe('keys in the chain', () => {
  it('a fresh ledger: key 1 from seq 1, every event signed, the head verified', () => {
    const t = fresh();
    try {
      const r = full(t);
      expect(r).toMatchObject({ ok: true, warnings: [] });
      expect(r.keys).toEqual([
        expect.objectContaining({ keyNo: 1, fromSeq: 1, reason: 'first', certifiedSeq: null }),
      ]);
      expect(startup(t)).toMatchObject({ ok: true, mode: 'incremental', fromSeq: 1 });
    } finally {
      t.close();
    }
  });

  it('a key announced out of order, or not signed by the key it introduces, is named', () => {
    const t = fresh();
    try {
      const other = generateSigningKey().signer;
      writeTransaction(t.ctx, (append) =>
        appendEvent(
          append,
          'terminal.keyed',
          { keyNo: 2, publicKey: other.publicKey, reason: 'replaced' },
          null,
        ),
      );
      const seq = chainHead(t.ctx.db).seq;
      expect(full(t)).toMatchObject({
        ok: false,
        firstBadSeq: seq,
        problem: 'terminal.keyed (key 2) is not signed by the key it introduces',
      });
      expect(startup(t)).toMatchObject({ ok: false, firstBadSeq: seq });
    } finally {
      t.close();
    }
    const u = fresh();
    try {
      const other = generateSigningKey().signer;
      u.ctx.db.cache.signer = other;
      writeTransaction(u.ctx, (append) =>
        appendEvent(
          append,
          'terminal.keyed',
          { keyNo: 7, publicKey: other.publicKey, reason: 'replaced' },
          null,
        ),
      );
      expect(full(u).problem).toBe('terminal.keyed names key 7, the next key is 2');
    } finally {
      u.close();
    }
  });

  it('every event after the key carries a signature of the right form', () => {
    const t = fresh();
    try {
      unguard(t);
      const seq = chainHead(t.ctx.db).seq - 2;
      t.ctx.db.prepare('UPDATE events SET signature = NULL WHERE seq = ?').run(seq);
      expect(full(t)).toMatchObject({
        ok: false,
        firstBadSeq: seq,
        problem: expect.stringMatching(/not signed/),
      });
      t.ctx.db.prepare("UPDATE events SET signature = 'x' WHERE seq = ?").run(seq);
      expect(full(t)).toMatchObject({
        ok: false,
        firstBadSeq: seq,
        problem: expect.stringMatching(/not an Ed25519/),
      });
    } finally {
      t.close();
    }
  });

  it('a head signed by someone else: the per-event scan names the first event the key did not sign', () => {
    const t = fresh();
    try {
      unguard(t);
      const headSeq = chainHead(t.ctx.db).seq;
      const forged = generateSigningKey().signer.sign('hc.event.v1:whatever');
      t.ctx.db.prepare('UPDATE events SET signature = ? WHERE seq >= ?').run(forged, headSeq - 1);
      const r = full(t);
      expect(r).toMatchObject({ ok: false, firstBadSeq: headSeq - 1 });
      expect(r.problem).toMatch(/is not signed by the terminal key/);
    } finally {
      t.close();
    }
  });

  it('an enrollment is checked: its certificate, its key and this terminal', () => {
    const t = fresh();
    try {
      const ho = enrol(t);
      expect(full(t)).toMatchObject({ ok: true, headOfficeKey: ho.publicKey });
      enrol(t, { terminalId: '0193a5c0-0000-7000-8000-00000000dead' });
      expect(full(t).problem).toMatch(/names terminal .*, not this one/);
    } finally {
      t.close();
    }
    const u = fresh();
    try {
      enrol(u, { keyNo: 3 });
      expect(full(u).problem).toMatch(/certifies key 3 .* which the chain does not introduce/);
    } finally {
      u.close();
    }
  });
});

describe('the integrity state', () => {
  const report = (t: OpenTerminal, ok: boolean, seq: number | null = null) => ({
    ...verifyLedger(t.ctx.db, t.ctx.terminal.id),
    ok,
    firstBadSeq: seq,
    problem: ok ? null : 'bad',
  });

  it('an alarm withholds the key and refuses payments naming the seq; a passing full verify ends it', () => {
    const t = fresh();
    try {
      const integrity = new LedgerIntegrity();
      const signer = t.ctx.db.cache.signer!;
      expect(integrity.state).toBe('ok');
      integrity.recordStartup(t.ctx.db, report(t, false, 12), new Date());
      expect(integrity.state).toBe('alarm');
      expect(t.ctx.db.cache.signer).toBeNull();
      let thrown: unknown;
      try {
        integrity.requireNoAlarm();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(ServiceError);
      expect(thrown).toMatchObject({ code: 'LEDGER_ALARM', details: { seq: 12 } });
      integrity.beginFull();
      expect(integrity.state).toBe('alarm');
      integrity.recordFull(t.ctx.db, report(t, true), new Date());
      expect(integrity.state).toBe('ok');
      expect(t.ctx.db.cache.signer).toBe(signer);
      integrity.beginFull();
      expect(integrity.state).toBe('checking');
      integrity.fullFailed(new Error('disk'));
      expect(integrity.view()).toMatchObject({ state: 'ok' });
      expect(integrity.view().warnings.join(' ')).toMatch(/did not finish: disk/);
    } finally {
      t.close();
    }
  });
});
