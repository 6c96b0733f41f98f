-- Issue 17, signed master rows (docs/trust.md "Master rows on the terminal"): households carry the
-- terminal key's Ed25519 signature over their master fields (core masterRecordMessage('household',
-- {id, accountNo, name, phone, community, building, unit, room, areaHundredths, category,
-- subsidised})). Always the terminal's: head office's signature over a pulled household is checked
-- before it is applied, but the row's flags move with the counter's own events, so the terminal
-- signs what it stored. A payment refuses an unsigned or altered household with MASTER_ROW_INVALID.
ALTER TABLE households ADD COLUMN sig TEXT;
ALTER TABLE households ADD COLUMN signed_by TEXT CHECK (signed_by IN ('head-office', 'terminal'));

-- The rows above exist unsigned: the terminal signs them at this first start after the upgrade,
-- on this connection only (the TEMP marker of 0016, see there).
CREATE TEMP TABLE IF NOT EXISTS master_rows_upgrade (pending INTEGER NOT NULL);
INSERT INTO temp.master_rows_upgrade VALUES (1);
