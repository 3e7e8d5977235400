package org.revbench.harness.protocol;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.revbench.core.engine.Engines;

/**
 * A check that work computes on the device it was given and on no other, which needs no GPU:
 * <ul>
 *   <li>the engine's default device, and the device of DJL's system manager (the parent a manager made without a
 *       device takes its device from), become a GPU that does not exist for as long as the check is open, so that any
 *       array made on an implicit device ({@code NDManager.newBaseManager()}, {@code Engine.defaultDevice()}) fails at
 *       once;</li>
 *   <li>every array made on this thread meanwhile is listed (DJL registers each new array with the innermost
 *       {@link NDScope}), so that afterwards each can be checked to live in a manager of the chosen device.</li>
 * </ul>
 * Closing it restores the default device and closes none of the listed arrays.
 */
public final class DeviceCheck implements AutoCloseable {

    /**
     * The device implicit paths get while a check is open: one no libtorch here can compute on (a CPU build has no
     * GPU, and a CUDA machine has not a hundred), so that the check fails on a GPU machine as it does here.
     */
    static final Device POISON = Device.gpu(99);

    private final Engine engine;
    private final Device before;
    private final NDManager system;
    private final Device systemBefore;
    private final NDScope scope;
    private final Map<NDArray, NDArray> made;

    private DeviceCheck(Engine engine, Device before, NDManager system, Device systemBefore, NDScope scope,
                        Map<NDArray, NDArray> made) {
        this.engine = engine;
        this.before = before;
        this.system = system;
        this.systemBefore = systemBefore;
        this.scope = scope;
        this.made = made;
    }

    /** Opens a check on this thread. */
    @SuppressWarnings("unchecked")
    public static DeviceCheck open() {
        Engine engine = Engines.start();
        try {
            Device before = engine.defaultDevice();
            NDManager system;
            try (NDManager child = NDManager.newBaseManager()) { // makes the system manager now if not yet, unpoisoned
                system = child.getParentManager();
            }
            Device systemBefore = system.getDevice();
            defaultDevice().set(engine, POISON);
            managerDevice().set(system, POISON);
            NDScope scope = new NDScope();
            Field f = NDScope.class.getDeclaredField("resources");
            f.setAccessible(true);
            return new DeviceCheck(engine, before, system, systemBefore, scope, (Map<NDArray, NDArray>) f.get(scope));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("DJL's Engine or NDScope changed: " + e, e);
        }
    }

    private static Field managerDevice() throws NoSuchFieldException {
        Field f = BaseNDManager.class.getDeclaredField("device");
        f.setAccessible(true);
        return f;
    }

    private static Field defaultDevice() throws NoSuchFieldException {
        Field f = Engine.class.getDeclaredField("defaultDevice");
        f.setAccessible(true);
        return f;
    }

    /** How many arrays were made on this thread since the check opened. */
    public int arrays() {
        return made.size();
    }

    /**
     * The arrays made since the check opened that are not on {@code device}: whose manager is another device's, or,
     * where still open, that libtorch holds elsewhere; each as "shape: where".
     */
    public List<String> strays(Device device) {
        List<String> strays = new ArrayList<>();
        for (NDArray a : new ArrayList<>(made.keySet())) {
            Device managed = a.getManager().getDevice();
            Device held = a.isReleased() ? managed : a.getDevice();
            if (!managed.equals(device) || !held.equals(device)) {
                strays.add((a.isReleased() ? "(closed)" : a.getShape().toString()) + ": manager on " + managed
                        + ", array on " + held);
            }
        }
        return strays;
    }

    @Override
    public void close() {
        made.clear(); // the scope closes what it lists: the work's arrays are the work's to close
        scope.close();
        try {
            defaultDevice().set(engine, before);
            managerDevice().set(system, systemBefore);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
