import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  alipayConfig,
  createAlipayProvider,
  type AlipayConfig,
} from '../../head-office/src/qr/alipay';
import { AlipaySimulator, generateRsaKeyPair } from '../../head-office/src/qr/alipay-simulator';
import type { QrProviderPort } from '../../head-office/src/qr/provider';

export const TEST_ALIPAY_APP_ID = '2021000000000001';

export interface TestAlipay {
  sim: AlipaySimulator;
  /** Head office's Alipay settings for this simulator (fresh key pairs, the simulator's gateway). */
  config: AlipayConfig;
  /** The real Alipay provider (alipay-sdk) pointed at the simulator. */
  provider: QrProviderPort;
  close(): Promise<void>;
}

/**
 * The Alipay simulator on 127.0.0.1 with fresh key pairs (the application's PKCS#8, Alipay's
 * PKCS#1, as Alipay's key tool gives them) and head office's provider for it.
 */
export async function startAlipay(options: { timeoutMs?: number } = {}): Promise<TestAlipay> {
  const dir = mkdtempSync(join(tmpdir(), 'alipay-sim-'));
  const app = generateRsaKeyPair('pkcs8');
  const alipay = generateRsaKeyPair('pkcs1');
  const sim = new AlipaySimulator({
    appId: TEST_ALIPAY_APP_ID,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    dir,
  });
  const gateway = await sim.start();
  const config = alipayConfig.parse({
    appId: TEST_ALIPAY_APP_ID,
    privateKey: app.privateKey,
    alipayPublicKey: alipay.publicKey,
    gateway,
    timeoutMs: options.timeoutMs ?? 1000,
  });
  return {
    sim,
    config,
    provider: createAlipayProvider(config),
    async close() {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
