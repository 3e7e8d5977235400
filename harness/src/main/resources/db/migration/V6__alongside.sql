-- What else measured on the machine while a grid task made a measurement (org.revbench.harness.bench.NodeLock):
-- other RevBench processes' tasks and the load average. Workers that share a node load each other's timings; this
-- says whether they did. Rows stored before, and measurements not made by the grid, keep NULL. Portable SQL: H2 2.x
-- and PostgreSQL 12+.
ALTER TABLE measurements ADD COLUMN alongside VARCHAR;
