// 0010_printer_settings: the QR mode of the receipt printer (native GS ( k symbol or raster image).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, withConnectionCache } from '../../../src-main/ledger/db';
import { loadMigrations, migrate, schemaVersion } from '../../../src-main/ledger/migrate';
import {
  printerSettingsRow,
  savePrinterSettings,
} from '../../../src-main/features/printing/print-jobs.store';
import { tempFolders } from '../../support/temp-files';

const { file } = tempFolders();

const all = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const index = all.findIndex((m) => m.name === 'printer_settings');

describe('0010_printer_settings', () => {
  it('adds qr_mode (default native) and keeps an existing settings row', () => {
    expect(index).toBeGreaterThan(0);
    const db = new Database(file());
    migrate(db, all.slice(0, index));
    db.prepare(
      `INSERT INTO printer_settings (singleton, interface, width, encoding, company_name, updated_at)
       VALUES (1, 'tcp://10.0.0.9:9100', 32, 'cp936', '老热力', '2026-11-20T00:00:00.000Z')`,
    ).run();
    migrate(db, all.slice(0, index + 1));
    expect(schemaVersion(db)).toBe(all[index]!.version);
    expect(
      db
        .prepare('SELECT interface, width, encoding, company_name, qr_mode FROM printer_settings')
        .get(),
    ).toEqual({
      interface: 'tcp://10.0.0.9:9100',
      width: 32,
      encoding: 'cp936',
      company_name: '老热力',
      qr_mode: 'native',
    });
    db.close();
  });

  it('accepts native and raster only; savePrinterSettings writes it', () => {
    const db = withConnectionCache(new Database(file()));
    migrate(db, all);
    const row = {
      interface: 'none',
      width: 48,
      encoding: 'gb18030',
      company_name: '阳光热力',
      drawer_kick: 'off',
      print_stub: 0,
      updated_at: '2026-11-20T00:00:00.000Z',
      updated_by: null,
    };
    savePrinterSettings(db, { ...row, qr_mode: 'raster' });
    expect(printerSettingsRow(db)?.qr_mode).toBe('raster');
    savePrinterSettings(db, row);
    expect(printerSettingsRow(db)?.qr_mode).toBe('native');
    expect(() => savePrinterSettings(db, { ...row, qr_mode: 'svg' })).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE printer_settings SET qr_mode = NULL').run()).toThrow(
      /NOT NULL/,
    );
    db.close();
  });
});
