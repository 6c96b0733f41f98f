-- An operator marks an approval exception (a reduction/write-off head office could not verify) or a
-- cheque conflict (contrary decisions) as dealt with: who, when, what was done. The row stays as it
-- was recorded; the lists show open ones unless asked for resolved or all.
ALTER TABLE ho_relief_checks ADD COLUMN resolved_at timestamptz;
ALTER TABLE ho_relief_checks ADD COLUMN resolved_by text;
ALTER TABLE ho_relief_checks ADD COLUMN resolution text;
ALTER TABLE ho_cheque_conflicts ADD COLUMN resolved_at timestamptz;
ALTER TABLE ho_cheque_conflicts ADD COLUMN resolved_by text;
ALTER TABLE ho_cheque_conflicts ADD COLUMN resolution text;
