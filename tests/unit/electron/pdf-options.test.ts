import { describe, expect, it } from 'vitest';
import { A4_PAGE } from '../../../src-main/devices/pdf/port';
import {
  documentUrl,
  PDF_WINDOW_PREFERENCES,
  printToPdfOptions,
} from '../../../src-main/electron/pdf-options';

describe('Electron PDF adapter (pure parts)', () => {
  it('prints A4 with the port margins converted to inches', () => {
    const o = printToPdfOptions();
    expect(o.pageSize).toBe('A4');
    expect(o.preferCSSPageSize).toBe(true);
    for (const side of ['top', 'right', 'bottom', 'left'] as const) {
      expect(o.margins[side] * 25.4).toBeCloseTo(A4_PAGE.marginMm[side], 2);
    }
  });

  it('renders documents in a window without script or node, sandboxed', () => {
    expect(PDF_WINDOW_PREFERENCES).toMatchObject({
      javascript: false,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
    });
  });

  it('carries the HTML (Chinese, #, %) intact in the data URL', () => {
    const html = '<p>交款单 #1 100% ￥12.30</p>';
    const url = documentUrl(html);
    expect(url.startsWith('data:text/html;charset=utf-8,')).toBe(true);
    expect(url).not.toContain('#');
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(html);
  });
});
