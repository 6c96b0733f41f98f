import {
  enrollResponse,
  pullResponse,
  pushAccepted,
  syncErrorBody,
  type EnrollRequest,
  type EnrollResponse,
  type PullResponse,
  type PushAccepted,
  type PushRequest,
  type SyncErrorBody,
} from '@heating-cashier/core/contract/sync-wire';
import {
  QR_ROUTES,
  qrSaleAnswer,
  type QrCancelRequest,
  type QrSaleAnswer,
  type QrSaleRequest,
} from '@heating-cashier/core/contract/qr-wire';

/** What one request to head office came to. `network` covers resets, timeouts, truncated bodies, 5xx. */
export type HoResult<T> =
  | { kind: 'ok'; value: T }
  | { kind: 'refused'; status: number; body: SyncErrorBody }
  | { kind: 'network'; message: string };

export interface HoClientOptions {
  url: string;
  /** The terminal's bearer token; null before enrollment (only /v1/enroll is called then). */
  token: string | null;
  timeoutMs: number;
  fetch?: typeof fetch;
}

/** A thin typed client; every answer is validated with the shared wire schemas before it is trusted. */
export class HeadOfficeClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  constructor(private readonly options: HoClientOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  push(body: PushRequest): Promise<HoResult<PushAccepted>> {
    return this.pushJson(JSON.stringify(body));
  }

  /**
   * A push whose body was serialised already (the events by a ledger worker), as UTF-8 bytes: fetch
   * sends them as they are (a string body is scanned and re-encoded on the main thread first).
   */
  pushJson(body: string | Uint8Array<ArrayBuffer>): Promise<HoResult<PushAccepted>> {
    return this.request('POST', '/v1/sync/push', body, (j) => pushAccepted.parse(j));
  }

  /** The terminal id travels for head office to refuse a token of another terminal. */
  pull(terminalId: string, cursor: number, limit: number): Promise<HoResult<PullResponse>> {
    const q = new URLSearchParams({ terminalId, cursor: String(cursor), limit: String(limit) });
    return this.request('GET', `/v1/sync/pull?${q}`, undefined, (j) => pullResponse.parse(j));
  }

  /** Is head office there (no auth): its answer and clock. */
  health(): Promise<HoResult<{ serverTime: string }>> {
    return this.request('GET', '/v1/health', undefined, (j) => {
      const body = j as { ok?: unknown; serverTime?: unknown };
      if (body.ok !== true || typeof body.serverTime !== 'string')
        throw new Error('not a health answer');
      return { serverTime: body.serverTime };
    });
  }

  /** Enrollment: the one-time code authenticates (no bearer token). */
  enroll(body: EnrollRequest): Promise<HoResult<EnrollResponse>> {
    return this.request('POST', '/v1/enroll', JSON.stringify(body), (j) => enrollResponse.parse(j));
  }

  /**
   * A QR sale (issue 23): head office calls the provider and answers its outcome. `timeoutMs` must
   * exceed head office's own deadline (it queries a paying sale for up to 60 s, then cancels).
   */
  qrSale(body: QrSaleRequest, timeoutMs: number): Promise<HoResult<QrSaleAnswer>> {
    return this.request(
      'POST',
      QR_ROUTES.sale,
      JSON.stringify(body),
      (j) => qrSaleAnswer.parse(j),
      timeoutMs,
    );
  }

  /** What head office (asking the provider) knows of a QR sale now. */
  qrQuery(outTradeNo: string, timeoutMs?: number): Promise<HoResult<QrSaleAnswer>> {
    return this.request(
      'GET',
      QR_ROUTES.one(outTradeNo),
      undefined,
      (j) => qrSaleAnswer.parse(j),
      timeoutMs,
    );
  }

  /** Cancel a QR sale at the provider (head office queries first: a paid sale answers paid). */
  qrCancel(
    outTradeNo: string,
    timeoutMs?: number,
    body: QrCancelRequest = {},
  ): Promise<HoResult<QrSaleAnswer>> {
    return this.request(
      'POST',
      QR_ROUTES.cancel(outTradeNo),
      JSON.stringify(body),
      (j) => qrSaleAnswer.parse(j),
      timeoutMs,
    );
  }

  private async request<T>(
    method: string,
    path: string,
    body: string | Uint8Array<ArrayBuffer> | undefined,
    parse: (json: unknown) => T,
    timeoutMs = this.options.timeoutMs,
  ): Promise<HoResult<T>> {
    let status: number;
    let text: string;
    try {
      const res = await this.doFetch(this.base + path, {
        method,
        headers: {
          ...(this.options.token === null ? {} : { authorization: `Bearer ${this.options.token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = res.status;
      text = await res.text();
    } catch (e) {
      return { kind: 'network', message: describe(e) };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { kind: 'network', message: `HTTP ${status}: unreadable body (${text.length} bytes)` };
    }
    if (status >= 200 && status < 300) {
      try {
        return { kind: 'ok', value: parse(json) };
      } catch {
        return { kind: 'network', message: `HTTP ${status}: answer does not match the contract` };
      }
    }
    const err = syncErrorBody.safeParse(json);
    if (status >= 500 || !err.success)
      return {
        kind: 'network',
        message: `HTTP ${status}${err.success ? `: ${err.data.message}` : ''}`,
      };
    return { kind: 'refused', status, body: err.data };
  }
}

function describe(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    const c =
      cause instanceof Error
        ? `: ${(cause as Error & { code?: string }).code ?? cause.message}`
        : '';
    return `${e.name === 'TimeoutError' ? 'timeout' : e.message}${c}`;
  }
  return String(e);
}
