import type { CommandOutput } from '@heating-cashier/core/contract';
import type { ApiClient } from '../api/client';

export type Login = CommandOutput<'session.login'>;
export type Account = CommandOutput<'household.account'>;
export type HouseholdResult = CommandOutput<'household.search'>['results'][number];
export type Receipt = CommandOutput<'receipt.find'>;
export type TerminalStatus = CommandOutput<'terminal.status'>;
export type TerminalInfo = CommandOutput<'terminal.info'>;

export interface Session {
  token: string;
  clerk: Login['clerk'];
  shift: Login['openShift'];
  book: Login['book'];
}

export type Screen =
  | { name: 'login' }
  | { name: 'openShift' }
  /** `typed`: what the clerk typed (or scanned) on the screen before, the start of the query. */
  | { name: 'search'; typed?: string }
  | { name: 'account'; householdId: string }
  | { name: 'payment'; account: Account }
  | { name: 'success'; receipt: Receipt; changeFen: number }
  | { name: 'receipt'; receiptId?: string; back: Screen }
  | { name: 'menu' }
  /** A work screen from the F9 menu (features/menu/entries.tsx). */
  | { name: 'tool'; id: string };

export interface SearchState {
  query: string;
  /** The query the shown results belong to (results arrive after the keystroke). */
  shownFor: string | null;
  results: HouseholdResult[];
  selected: number;
}

/** What every screen gets from the shell. */
export interface ScreenProps {
  client: ApiClient;
  session: Session;
  status: TerminalStatus | null;
  go(screen: Screen): void;
  /** Re-reads shift + book (after a payment or void) and the status bar; resolves once shift + book are in. */
  refresh(): Promise<void>;
  /** A command said the session is gone: back to login. */
  sessionLost(): void;
}
