export {
  SyncWorker,
  startSyncWorker,
  type SyncWorkerOptions,
  type SyncWorkerStatus,
} from './worker';
export { configureSync, pendingCount, syncState, unsyncedEvents } from './store';
export { fullJitterDelay, seededRandom } from './backoff';
