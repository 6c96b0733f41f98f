import { createAlipayProvider, loadAlipayConfig } from './alipay';
import type { QrOptions } from './notify';

/**
 * Head office's QR providers from its environment: HO_ALIPAY_CONFIG=/path/alipay.json (alipay.ts
 * loadAlipayConfig: appId, the application's private key, Alipay's public key, gateway, notifyUrl)
 * enables Alipay. A provider without settings is not offered: its sales are refused with
 * provider_unavailable before anything is sent.
 */
export function qrOptionsFromEnv(env: NodeJS.ProcessEnv): { qr: QrOptions; enabled: string[] } {
  const qr: QrOptions = { providers: {} };
  const file = env.HO_ALIPAY_CONFIG;
  if (file) {
    const config = loadAlipayConfig(file);
    qr.providers.alipay = createAlipayProvider(config);
    qr.alipayNotify = config;
  }
  return { qr, enabled: Object.keys(qr.providers) };
}
