package org.revbench.core.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The device a run computes on, as the command line, {@code REVBENCH_DEVICE} and spec files name it: {@code cpu},
 * {@code cuda} (the first GPU) or {@code cuda:N}. Every root manager is made for one ({@link Engines#newManager}); no
 * code path asks the engine for its default device, which on a CUDA build of libtorch would silently be the GPU.
 */
public final class Devices {

    /** The environment variable that names the device when the command line does not. */
    public static final String ENVIRONMENT = "REVBENCH_DEVICE";

    private static final Pattern CUDA = Pattern.compile("cuda(?::(\\d{1,3}))?");

    private Devices() {}

    /**
     * The device {@code name} names: {@code cpu}, {@code cuda} or {@code cuda:N}; an {@link IllegalArgumentException}
     * that lists the accepted forms for anything else.
     */
    public static Device parse(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        Matcher m = CUDA.matcher(n);
        if (m.matches()) {
            return Device.gpu(m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (known: cpu, cuda, cuda:N)");
    }

    /** {@code cpu} or {@code cuda:N}: how a device is written in results, provenance and probe arguments. */
    public static String name(Device device) {
        return device.isGpu() ? "cuda:" + Math.max(0, device.getDeviceId()) : "cpu";
    }

    /** The device {@code REVBENCH_DEVICE} names, or null when it is not set. */
    public static Device fromEnvironment() {
        String v = System.getenv(ENVIRONMENT);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT + ": " + e.getMessage());
        }
    }

    /**
     * Returns {@code device} once the engine can compute on it; a {@link DeviceUnavailableException} whose message is
     * the one line a user needs otherwise: which libtorch was loaded, and the two ways to give it a CUDA one.
     */
    public static Device requireAvailable(Device device) {
        if (!device.isGpu()) {
            return device;
        }
        Engine engine;
        try {
            engine = Engines.start();
        } catch (ai.djl.engine.EngineException e) {
            throw new DeviceUnavailableException(name(device) + " asked for, but " + e.getMessage());
        }
        boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
        int gpus = cuda ? engine.getGpuCount() : 0;
        if (!cuda) {
            throw new DeviceUnavailableException(name(device) + " asked for, but the libtorch this build loaded ("
                    + Engines.libtorchDescription() + ") has no CUDA: " + CUDA_HOW);
        }
        if (device.getDeviceId() >= gpus) {
            throw new DeviceUnavailableException(name(device) + " asked for, but CUDA sees " + gpus + " GPU"
                    + (gpus == 1 ? "" : "s") + (gpus > 0 ? " (cuda:0 to cuda:" + (gpus - 1) + ")" : ""));
        }
        return device;
    }

    /** What a build without CUDA needs for a GPU: the CUDA build, and one of the two ways to its libtorch. */
    public static final String CUDA_HOW = "build with `mvn -Pcuda install -DskipTests` and give it "
            + Engines.CUDA_LIBTORCH;

    /** A device the engine cannot compute on; its message is the whole explanation. */
    public static final class DeviceUnavailableException extends RuntimeException {
        public DeviceUnavailableException(String message) {
            super(message);
        }
    }
}
