// The sync_state / payments_elsewhere SQL lives in the ledger (services read it for the status
// bar and the hand-in slip); the sync worker uses it from here.
export * from './sync-state.store';
