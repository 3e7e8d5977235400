-- The device a measurement was computed on (cpu, cuda:N) and, on a GPU, its model, driver, CUDA runtime and libtorch
-- build (org.revbench.harness.Provenance). Rows stored before keep NULL: they were all computed on the CPU. Portable
-- SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE measurements ADD COLUMN device VARCHAR;
ALTER TABLE measurements ADD COLUMN gpu VARCHAR;
-- The device a work item is measured on: a worker claims only its own device's items. Items planned before were all
-- the CPU's.
ALTER TABLE work_items ADD COLUMN device VARCHAR DEFAULT 'cpu' NOT NULL;
