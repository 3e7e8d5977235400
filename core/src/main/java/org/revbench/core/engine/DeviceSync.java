package org.revbench.core.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;

/**
 * Makes a timed region end when the device has done its work, not when the work was queued.
 *
 * <p>On a GPU, libtorch queues kernels and returns at once: a clock stopped then measures the queueing. Copying
 * one element of the region's result to the host waits for that result, and with it for everything queued
 * before it on the stream (CUDA runs a stream's work in order), so the work is done before the clock stops. On the
 * CPU an operation has finished when its call returns: there nothing is added to the timed region.
 */
public final class DeviceSync {

    private static final DeviceSync NONE = new DeviceSync(false);
    private static final DeviceSync COPY = new DeviceSync(true);

    private final boolean copies;

    private DeviceSync(boolean copies) {
        this.copies = copies;
    }

    /** The synchronisation work on {@code device} needs: a scalar copy on a GPU, nothing elsewhere. */
    public static DeviceSync forDevice(Device device) {
        return device.isGpu() ? COPY : NONE;
    }

    /** For the device that holds {@code x} (e.g. one of a model's parameters). */
    public static DeviceSync of(NDArray x) {
        return forDevice(x.getDevice());
    }

    /** The copying kind whatever the device (tests of the copy itself on a machine without a GPU). */
    static DeviceSync copying() { return COPY; }

    /** Whether {@link #await} copies to the host. */
    public boolean copies() { return copies; }

    /**
     * Returns once {@code result} (and all work queued before it) is computed: on a GPU by copying its first
     * element to the host, recording off; elsewhere at once. {@code result} is neither changed nor closed.
     */
    public void await(NDArray result) {
        if (!copies) {
            return;
        }
        Autograd.withRecording(false, () -> {
            try (NDArray flat = result.reshape(-1); NDArray first = flat.get(0)) {
                return first.toByteArray();
            }
        });
    }
}
