package org.revbench.core.memory;

import java.lang.reflect.Field;

/** Crashes its own JVM in native code (a write to address 0) in set-up, as a fault inside libtorch would. */
public class CrashingWorkload implements MemoryWorkload {

    @Override
    public void setUp(String[] args) {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            ((sun.misc.Unsafe) f.get(null)).putAddress(0, 0);
        } catch (ReflectiveOperationException e) {
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
