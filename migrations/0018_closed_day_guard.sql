-- A business day closed by Z at this counter takes no new shift and nothing that issues, spoils or
-- voids a receipt number or moves cash (issue 21): the Z stays the day's figures. The services refuse
-- first with DAY_CLOSED (naming the Z); this trigger is the ledger's own guard, whatever the caller.
-- Only new events are checked: a ledger that already holds such events still verifies and rebuilds.
CREATE TRIGGER events_closed_day BEFORE INSERT ON events
WHEN NEW.type IN ('shift.opened', 'receipt.issued', 'receipt.spoiled', 'receipt.voided', 'cash.moved')
  AND EXISTS (SELECT 1 FROM day_closures WHERE business_date = NEW.business_date)
BEGIN SELECT RAISE(ABORT, 'DAY_CLOSED: this business day is closed by Z: no new shift or receipt on it'); END;
