import { createAlipayProvider, loadAlipayConfig } from './alipay';
import type { QrOptions } from './notify';

/**
 * Head office's QR providers from its environment: HO_ALIPAY_CONFIG=/path/alipay.json (alipay.ts
 * loadAlipayConfig: appId, the application's private key, Alipay's public key, gateway, notifyUrl)
 * enables Alipay. A provider without settings is not offered: its sales are refused with
 * provider_unavailable before anything is sent.
 */
export function qrOptionsFromEnv(env: NodeJS.ProcessEnv): { qr: QrOptions; enabled: string[] } {
  const qr: QrOptions = { providers: {}, ...timingFromEnv(env) };
  const file = env.HO_ALIPAY_CONFIG;
  if (file) {
    const config = loadAlipayConfig(file);
    qr.providers.alipay = createAlipayProvider(config);
    qr.alipayNotify = config;
  }
  return { qr, enabled: Object.keys(qr.providers) };
}

const TIMING_ENV = {
  HO_QR_POLL_MS: 'pollIntervalMs',
  HO_QR_DEADLINE_MS: 'deadlineMs',
  HO_QR_LEASE_MS: 'leaseMs',
} as const;

/**
 * The sale procedure's timing (sales.ts; defaults follow Alipay's guidance: a query every 3 s,
 * cancel at 60 s, a 30 s lease). Tests and drills shorten them; a value that is not a whole
 * number of milliseconds between 10 and 600,000 stops the start with its name.
 */
function timingFromEnv(env: NodeJS.ProcessEnv): Partial<QrOptions> {
  const out: Partial<QrOptions> = {};
  for (const [name, key] of Object.entries(TIMING_ENV)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    const ms = Number(text);
    if (!Number.isInteger(ms) || ms < 10 || ms > 600_000)
      throw new Error(`${name}=${text}: give whole milliseconds between 10 and 600000`);
    out[key] = ms;
  }
  return out;
}
