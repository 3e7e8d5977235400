package org.revbench.harness.protocol;

import ai.djl.Device;
import java.util.LinkedHashMap;
import java.util.Map;
import org.revbench.core.engine.Devices;
import org.revbench.core.memory.MemoryWorkload;
import org.revbench.core.memory.TrainingStepWorkload;

/**
 * The memory protocol's workload ({@link TrainingStepWorkload}, same arguments) inside a {@link DeviceCheck}, run by the
 * peak-memory probe in its own process: its details say how many arrays the set-up and steps made and which were not
 * on the device its {@code device=} argument names.
 */
public class DeviceCheckedWorkload implements MemoryWorkload {

    private final TrainingStepWorkload workload = new TrainingStepWorkload();
    private DeviceCheck check;
    private Device device;

    @Override
    public void setUp(String[] args) {
        check = DeviceCheck.open();
        device = Device.cpu();
        for (String a : args) {
            if (a.startsWith("device=")) {
                device = Devices.parse(a.substring("device=".length()));
            }
        }
        workload.setUp(args);
    }

    @Override
    public void step() {
        workload.step();
    }

    @Override
    public int batch() {
        return workload.batch();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>(workload.details());
        d.put("arrays_checked", check.arrays());
        d.put("strays", check.strays(device));
        return d;
    }

    @Override
    public void close() {
        workload.close();
        if (check != null) {
            check.close();
        }
    }
}
