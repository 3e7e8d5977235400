package org.revbench.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The latency benchmarks' clock stops after a GPU's work: a scalar copy where a GPU holds the model, nothing on the CPU. */
class DeviceSyncTest extends EngineTestBase {

    @Test
    void aGpuNeedsTheCopyAndTheCpuNothing() {
        assertTrue(DeviceSync.forDevice(Device.gpu()).copies());
        assertTrue(DeviceSync.forDevice(Device.gpu(1)).copies());
        assertFalse(DeviceSync.forDevice(Device.cpu()).copies());
        try (NDManager m = manager.newSubManager(); NDArray x = m.ones(new Shape(2, 3))) {
            assertSame(DeviceSync.forDevice(Device.cpu()), DeviceSync.of(x), "a tensor on the CPU: nothing to wait for");
        }
    }

    @Test
    void theCopyLeavesTheResultAsItWasAndRecordsNothing() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = Tensors.fromDoubles(m, new double[] {1.5, -2, 3, 4, 5, 6}, new Shape(2, 3), DataType.FLOAT32);
            NDArray scalar = x.sum();
            boolean before = Autograd.setRecording(true);
            try {
                DeviceSync.copying().await(x);
                DeviceSync.copying().await(scalar);
                DeviceSync.forDevice(Device.cpu()).await(x);
                assertTrue(Autograd.isRecording(), "the recording switch is restored");
            } finally {
                Autograd.setRecording(before);
            }
            assertArrayEquals(new float[] {1.5f, -2, 3, 4, 5, 6}, x.toFloatArray());
            assertArrayEquals(new float[] {17.5f}, scalar.toFloatArray());
        }
    }
}
