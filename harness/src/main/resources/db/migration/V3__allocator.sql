-- The memory allocator the measuring process ran with (org.revbench.harness.Allocator), e.g. 'glibc 2.36' or
-- 'tcmalloc (libtcmalloc_minimal.so.4.5.10)': it changes timings, not the memory probe's counts. Rows stored
-- before do not know it and keep NULL. Portable SQL: H2 2.x and PostgreSQL 12+.
ALTER TABLE measurements ADD COLUMN allocator VARCHAR;
