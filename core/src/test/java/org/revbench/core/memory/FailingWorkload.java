package org.revbench.core.memory;

/** Fails in set-up, to check that the probe reports the child's error instead of a number. */
public class FailingWorkload implements MemoryWorkload {

    @Override
    public void setUp(String[] args) {
        throw new IllegalStateException("deliberate failure in setUp");
    }

    @Override
    public void step() {}

    @Override
    public int batch() {
        return 1;
    }
}
