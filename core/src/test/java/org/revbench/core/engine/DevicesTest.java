package org.revbench.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

/** How devices are named and refused where this build of libtorch cannot compute on them. */
class DevicesTest {

    @Test
    void theNamesACommandLineOrSpecMayUse() {
        assertEquals(Device.cpu(), Devices.parse("cpu"));
        assertEquals(Device.gpu(0), Devices.parse("cuda"));
        assertEquals(Device.gpu(0), Devices.parse(" CUDA:0 "));
        assertEquals(Device.gpu(3), Devices.parse("cuda:3"));
        for (String bad : new String[] {"gpu", "cuda:", "cuda:x", "cpu:0", "", "tpu"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse(bad), bad);
            assertEquals("unknown device '" + bad + "' (known: cpu, cuda, cuda:N)", e.getMessage());
        }
        assertEquals("cpu", Devices.name(Device.cpu()));
        assertEquals("cuda:0", Devices.name(Device.gpu()));
        assertEquals("cuda:2", Devices.name(Devices.parse("cuda:2")));
    }

    @Test
    void theCpuIsAlwaysThereAndAGpuNeedsACudaLibtorch() {
        assertSame(Device.cpu(), Devices.requireAvailable(Device.cpu()));
        if (Engines.start().hasCapability(ai.djl.engine.StandardCapabilities.CUDA) && Engines.start().getGpuCount() > 0) {
            assertSame(Device.gpu(0), Devices.requireAvailable(Device.gpu(0))); // the CUDA build, on a GPU machine
            return;
        }
        Devices.DeviceUnavailableException e = assertThrows(Devices.DeviceUnavailableException.class,
                () -> Devices.requireAvailable(Device.gpu(0)));
        // this machine's build is the CPU one: the line names it and both ways to a CUDA libtorch
        assertTrue(e.getMessage().startsWith("cuda:0 asked for, but the libtorch this build loaded (libtorch 2.7.1 from "),
                e.getMessage());
        assertTrue(e.getMessage().contains("has no CUDA: build with `mvn -Pcuda install -DskipTests` and give it a CUDA"
                + " libtorch 2.7.1 from PYTORCH_LIBRARY_PATH"), e.getMessage());
        assertTrue(e.getMessage().contains("DJL_OFFLINE=false"), e.getMessage());
    }
}
