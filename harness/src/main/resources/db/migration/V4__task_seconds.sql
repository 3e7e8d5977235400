-- How long the grid task that made a measurement took: the wall seconds of its protocol run (one row, one protocol,
-- one scale), the same for every measurement of that task (org.revbench.harness.run.GridRunner). The grid estimates
-- a run's time left from these. Not part of a measurement's identity. Rows stored before, and measurements not made
-- by the grid, keep NULL. Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE measurements ADD COLUMN task_seconds DOUBLE PRECISION;
