-- Head-office console (issue 18): operator accounts with one role each, their sessions, login
-- failures and locks (per account and per source address), and the append-only audit log.

CREATE TABLE ho_operators (
  id                   bigserial PRIMARY KEY,
  username             text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,31}$'),
  display_name         text NOT NULL,
  role                 text NOT NULL CHECK (role IN ('admin', 'finance', 'manager', 'auditor')),
  -- self-describing: scrypt$N=32768,r=8,p=1$<salt base64url>$<key base64url> (console/passwords.ts)
  password_hash        text NOT NULL,
  must_change_password boolean NOT NULL DEFAULT true,
  disabled_at          timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           text NOT NULL
);

-- Only SHA-256 (hex) of the session token and of the CSRF token are stored.
CREATE TABLE ho_operator_sessions (
  token_sha256 text PRIMARY KEY,
  csrf_sha256  text NOT NULL,
  operator_id  bigint NOT NULL REFERENCES ho_operators (id),
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,               -- absolute expiry; idle expiry from last_seen_at
  source       text NOT NULL,
  revoked_at   timestamptz
);
CREATE INDEX ho_operator_sessions_operator ON ho_operator_sessions (operator_id) WHERE revoked_at IS NULL;

-- Failed logins (unknown usernames too, under the name given), counted per account and per source.
CREATE TABLE ho_login_failures (
  id       bigserial PRIMARY KEY,
  at       timestamptz NOT NULL,
  username text NOT NULL,
  source   text NOT NULL
);
CREATE INDEX ho_login_failures_username ON ho_login_failures (username, at);
CREATE INDEX ho_login_failures_source ON ho_login_failures (source, at);

CREATE TABLE ho_login_locks (
  scope        text NOT NULL CHECK (scope IN ('account', 'source')),
  key          text NOT NULL,
  locked_until timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Every login, logout, password change, operator management and state-changing operator request;
-- never updated or deleted. username 'token': the scripted operator token (HO_ADMIN_TOKEN).
CREATE TABLE ho_audit (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  operator_id bigint,
  username    text NOT NULL,
  role        text,
  action      text NOT NULL,
  target      text,
  detail      text NOT NULL DEFAULT '{}',
  source      text,
  outcome     text NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed'))
);
CREATE INDEX ho_audit_at ON ho_audit (at);

CREATE FUNCTION ho_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'ho_audit is append-only'; END $$;
CREATE TRIGGER ho_audit_no_change BEFORE UPDATE OR DELETE ON ho_audit
  FOR EACH ROW EXECUTE FUNCTION ho_audit_append_only();
CREATE TRIGGER ho_audit_no_truncate BEFORE TRUNCATE ON ho_audit
  FOR EACH STATEMENT EXECUTE FUNCTION ho_audit_append_only();
