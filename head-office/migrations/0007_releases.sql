-- Issue 19, counter updates (README "Updates / 更新"): releases IT publishes for electron-updater's
-- generic feed. A release is one channel file (latest.yml, latest-linux.yml) as electron-builder
-- wrote it, the files it names (each checked against its sha512 on upload), the ledger schema the
-- release ships and head office's signature over all of it (core/release.ts releaseMessage).

CREATE TABLE ho_releases (
  id            bigserial PRIMARY KEY,
  channel       text NOT NULL,             -- 'latest', 'latest-linux', ...
  version       text NOT NULL,
  ledger_schema int NOT NULL CHECK (ledger_schema >= 1),
  claim         text NOT NULL,             -- the signed claim, JSON (core releaseClaim)
  signature     text NOT NULL,             -- head office's Ed25519 signature over releaseMessage(claim)
  source_yml    text NOT NULL,             -- the channel file electron-builder wrote, as uploaded
  published_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, version)
);

-- Artifacts by content: the base64 SHA-512 names the bytes; stored in chunks so head office serves
-- an installer by streaming, on PostgreSQL as on PGlite, from every head-office process alike.
CREATE TABLE ho_release_blobs (
  sha512   text NOT NULL,
  chunk_no int NOT NULL CHECK (chunk_no >= 0),
  bytes    bytea NOT NULL,
  PRIMARY KEY (sha512, chunk_no)
);

-- The files of a release under the names its channel file gives them.
CREATE TABLE ho_release_files (
  release_id bigint NOT NULL REFERENCES ho_releases (id),
  name       text NOT NULL,
  sha512     text NOT NULL,
  size       bigint NOT NULL CHECK (size > 0),
  PRIMARY KEY (release_id, name)
);
