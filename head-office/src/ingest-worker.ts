// An ingest worker thread (ingest-pool.ts): the CPU part of a push (push-prep.ts preparePush) from
// its raw body, signing the counter payments with head office's key (on libuv's thread pool, so
// one push's 1,000 signatures use every core).
import { parentPort } from 'node:worker_threads';
import { signerFromPem, type HoKey } from './keys';
import { preparePush } from './push-prep';
import type { IngestJob, IngestAnswer } from './ingest-pool';

let signer: HoKey | null = null;

parentPort!.on('message', (job: IngestJob) => {
  const signMany = (messages: string[]) => {
    if (signer?.pem !== job.pem) signer = signerFromPem(job.pem);
    return signer.signMany(messages);
  };
  preparePush(job.raw, signMany).then(
    (value) => parentPort!.postMessage({ id: job.id, ok: true, value } satisfies IngestAnswer),
    (e: unknown) =>
      parentPort!.postMessage({
        id: job.id,
        ok: false,
        error: e instanceof Error ? e.message : String(e),
      } satisfies IngestAnswer),
  );
});
