package org.revbench.core.memory;

import java.io.IOException;

/** Kills its own JVM with SIGKILL in set-up, as the kernel's out-of-memory killer would. */
public class KilledWorkload implements MemoryWorkload {

    @Override
    public void setUp(String[] args) {
        try {
            new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(10_000); // the signal arrives while we wait
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void step() {}

    @Override
    public int batch() {
        return 1;
    }
}
