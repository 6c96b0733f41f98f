// The head-office settings screen's test button: a real request to head office (GET /v1/health),
// then, for the address this terminal is enrolled with, whether head office still accepts its token
// (a pull of one change, nothing applied). Nothing is saved or changed.
import type { Localized } from '../../devices/card-terminal/port';
import { ServiceError } from '../../services/context';
import { HeadOfficeClient } from './client';
import { syncState } from './sync-state.store';
import type { SyncContext } from './worker';

const T = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });
const TIMEOUT_MS = 10_000;

export type TokenCheck = 'accepted' | 'refused' | 'not_enrolled' | 'other_address';

export async function testHeadOffice(ctx: SyncContext, input: { url: string }) {
  const url = input.url.replace(/\/+$/, '');
  const s = syncState(ctx.db);
  const started = Date.now();
  const open = new HeadOfficeClient({
    url,
    token: null,
    timeoutMs: TIMEOUT_MS,
  });
  const health = await open.health();
  if (health.kind !== 'ok')
    throw new ServiceError('HEAD_OFFICE_UNREACHABLE', {
      reason: health.kind === 'network' ? health.message : `HTTP ${health.status}`,
    });
  const latencyMs = Date.now() - started;
  const enrolledHere = s.head_office_url?.replace(/\/+$/, '') === url;
  let token: TokenCheck;
  let status: number | null = null;
  if (!s.terminal_token) token = 'not_enrolled';
  else if (!enrolledHere) token = 'other_address';
  else {
    const authed = new HeadOfficeClient({
      url,
      token: s.terminal_token,
      timeoutMs: TIMEOUT_MS,
    });
    const pull = await authed.pull(ctx.terminal.id, s.pull_cursor, 1);
    if (pull.kind === 'network')
      throw new ServiceError('HEAD_OFFICE_UNREACHABLE', { reason: pull.message });
    token = pull.kind === 'ok' ? 'accepted' : 'refused';
    status = pull.kind === 'refused' ? pull.status : null;
  }
  const reached = T(
    `总部可以连接（${latencyMs} 毫秒）。`,
    `Head office answers (${latencyMs} ms).`,
  );
  const more: Record<TokenCheck, Localized> = {
    accepted: T(
      '本终端已入网，总部接受其令牌，可以同步。',
      'This terminal is enrolled and its token is accepted: sync works.',
    ),
    refused: T(
      `但总部拒绝本终端的令牌（HTTP ${status}）：请向总部要一个新的入网码，在下方重新入网。`,
      `But head office refuses this terminal's token (HTTP ${status}): ask head office for a new enrollment code and enroll again below.`,
    ),
    not_enrolled: T(
      '本终端尚未入网：请输入总部发放的入网码后入网。',
      'This terminal is not enrolled yet: enter the enrollment code head office issued, then enroll.',
    ),
    other_address: T(
      '本终端登记的是另一个总部地址；要改用这个地址，请用新的入网码重新入网。',
      'This terminal is enrolled with another head-office address; to use this one, enroll again with a new code.',
    ),
  };
  return {
    url,
    latencyMs,
    serverTime: health.value.serverTime,
    token,
    message: {
      'zh-CN': `${reached['zh-CN']}${more[token]['zh-CN']}`,
      en: `${reached.en} ${more[token].en}`,
    },
  };
}
