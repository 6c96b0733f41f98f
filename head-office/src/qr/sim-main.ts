/**
 * The Alipay gateway simulator as a process:
 *   npm run sim:alipay -- --port 8650 --dir /tmp/alipay-sim [--app-id 2021000000000001]
 * On first start it writes into DIR two RSA 2048 key pairs (the merchant application's and the
 * simulator's "Alipay" pair) and a ready head-office config, alipay-config.json (appId, gateway,
 * privateKeyFile, alipayPublicKeyFile, timeoutMs), then prints `GATEWAY <url>` and
 * `CONFIG <file>`; later starts reuse the keys and replay the journal. Stop with Ctrl-C.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AlipaySimulator, generateRsaKeyPair } from './alipay-simulator';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function keyPair(dir: string, name: string): { privateKey: string; publicKey: string } {
  const priv = join(dir, `${name}-private.pem`);
  const pub = join(dir, `${name}-public.pem`);
  if (existsSync(priv) && existsSync(pub)) {
    return { privateKey: readFileSync(priv, 'utf8'), publicKey: readFileSync(pub, 'utf8') };
  }
  const pair = generateRsaKeyPair('pkcs8');
  writeFileSync(priv, pair.privateKey, { mode: 0o600 });
  writeFileSync(pub, pair.publicKey);
  return pair;
}

async function main(): Promise<void> {
  const dirArg = arg('dir');
  const port = Number(arg('port') ?? 0);
  if (!dirArg || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: sim:alipay -- --port N --dir DIR [--app-id APPID]\n');
    process.exit(2);
  }
  const dir = resolve(dirArg);
  mkdirSync(dir, { recursive: true });
  const appId = arg('app-id') ?? '2021000000000001';
  const app = keyPair(dir, 'app');
  const alipay = keyPair(dir, 'alipay');
  const sim = new AlipaySimulator({
    appId,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    dir,
    port,
  });
  const gateway = await sim.start();
  const configFile = join(dir, 'alipay-config.json');
  writeFileSync(
    configFile,
    `${JSON.stringify(
      {
        appId,
        gateway,
        privateKeyFile: 'app-private.pem',
        alipayPublicKeyFile: 'alipay-public.pem',
        timeoutMs: 15000,
      },
      null,
      2,
    )}\n`,
  );
  process.stdout.write(`GATEWAY ${gateway}\nCONFIG ${configFile}\nJOURNAL ${sim.journalFile}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  process.stderr.write(`alipay simulator: ${(e as Error).message}\n`);
  process.exit(1);
});
