-- A measurement's identity: what can change its number (the commit, the uncommitted changes, the spec row's
-- hash, the scale) and what it is of (table, row, protocol, metric, seed). The store holds each identity once,
-- by a unique index, so that two runs can never store one number twice (org.revbench.harness.result.Measurement
-- #identity computes it). Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE measurements ADD COLUMN tree_state VARCHAR;
ALTER TABLE measurements ADD COLUMN machine_class VARCHAR;
ALTER TABLE measurements ADD COLUMN run_id VARCHAR;
ALTER TABLE measurements ADD COLUMN identity VARCHAR;
-- rows stored before: a tree that was not dirty was the commit itself; a dirty one's changes are not known, and
-- such a row is never reused (org.revbench.harness.Provenance#codeVersion)
UPDATE measurements SET tree_state = CASE WHEN git_dirty = FALSE THEN 'clean' ELSE 'unknown' END;
-- each earlier row stays its own identity: a store that already holds a number twice (the reason for this
-- migration) keeps both rather than fail to migrate
UPDATE measurements SET identity = 'legacy:' || CAST(id AS VARCHAR);
ALTER TABLE measurements ALTER COLUMN tree_state SET NOT NULL;
ALTER TABLE measurements ALTER COLUMN identity SET NOT NULL;
CREATE UNIQUE INDEX measurements_identity ON measurements (identity);
-- the grid runner's question now includes the tree state
CREATE INDEX measurements_task ON measurements (table_id, row_id, scale, protocol, git_commit, tree_state, spec_hash);

-- Work that a run has claimed and not yet stored: concurrent runs of one grid split the work instead of repeating
-- it (org.revbench.harness.result.ResultStore#claim). A claim whose run stopped sending heartbeats, or whose
-- process is gone from this host, is taken over.
CREATE TABLE claims (
    task          VARCHAR PRIMARY KEY,
    description   VARCHAR NOT NULL,
    run_id        VARCHAR NOT NULL,
    host          VARCHAR NOT NULL,
    pid           BIGINT  NOT NULL,
    -- epoch milliseconds
    claimed_at    BIGINT  NOT NULL,
    heartbeat_at  BIGINT  NOT NULL
);
