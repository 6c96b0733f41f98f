-- Reductions (减免) and write-offs (核销) are approved offline at the counter; head office checks
-- every pushed `relief.granted` again against its own clerks master data (distinct, active
-- supervisors, at least the policy's number). The event itself is always stored (append-only chain);
-- the outcome of the check is kept here, and the failures form the approval-exceptions report.
CREATE TABLE ho_settings (key text PRIMARY KEY, value text NOT NULL);
-- Distinct supervisors a reduction/write-off needs at head office (seed: company + supervising manager).
INSERT INTO ho_settings VALUES ('relief_approvals', '2');

CREATE TABLE ho_relief_checks (
  event_id      text PRIMARY KEY,
  terminal_id   text NOT NULL,
  seq           bigint NOT NULL,
  business_date text NOT NULL,
  relief_id     text NOT NULL,
  kind          text NOT NULL,
  household_id  text NOT NULL,
  season_id     text NOT NULL,
  amount_fen    bigint NOT NULL,
  required      int NOT NULL,                -- max(counter's requiredApprovals, head-office policy)
  approvers     text NOT NULL,               -- JSON array of clerk ids as pushed
  ok            boolean NOT NULL,
  problems      text NOT NULL,               -- JSON [{code, approverId?, distinct?, required?}]
  checked_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (terminal_id, seq)
);
CREATE INDEX ho_relief_checks_exceptions ON ho_relief_checks (terminal_id, business_date) WHERE NOT ok;
