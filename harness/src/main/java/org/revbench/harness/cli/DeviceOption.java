package org.revbench.harness.cli;

import ai.djl.Device;
import java.util.Collection;
import org.revbench.core.engine.Devices;
import org.revbench.harness.spec.RowSettings;
import picocli.CommandLine.Option;

/**
 * Where a command computes: {@code --device cpu|cuda|cuda:N} (mixed into every command that runs a model, and into
 * {@code plan}, whose work items a worker on the same device measures). Without it, {@value Devices#ENVIRONMENT}; in a
 * grid, then the device each row's spec names at the scale (the papers' scale names {@code cuda}); else the CPU.
 */
public final class DeviceOption {

    @Option(names = "--device", paramLabel = "DEVICE",
            description = "cpu, cuda or cuda:N (default: $" + Devices.ENVIRONMENT + ", else, in a grid, what each row's"
                    + " spec names at its scale, else cpu). A GPU needs the CUDA build (docs/gpu.md).")
    String device;

    /** The device {@code --device} or {@value Devices#ENVIRONMENT} names; null where neither does. */
    Device named() {
        try {
            return device != null ? Devices.parse(device) : Devices.fromEnvironment();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, (device != null ? "--device: " : "") + e.getMessage());
        }
    }

    /** The device of a command that runs one model: {@link #named()}, else the CPU; checked that the engine has it. */
    Device resolve() {
        Device d = named();
        return available(d != null ? d : Device.cpu());
    }

    /**
     * The device a grid over {@code settings} (the selected tasks' settings at its scale) is told to use:
     * {@link #named()}, else null, and then each task runs where its spec names ({@link RowSettings#device()}), else on
     * the CPU. Where the grid computes here ({@code here}: {@code run}, not {@code plan}, whose workers compute
     * elsewhere), every device it will use is checked that the engine has it, before anything runs.
     */
    Device forGrid(Collection<RowSettings> settings, boolean here) {
        Device d = named();
        if (!here) {
            return d;
        }
        if (d != null) {
            return available(d);
        }
        settings.stream().map(RowSettings::device).filter(java.util.Objects::nonNull).distinct()
                .forEach(n -> available(Devices.parse(n)));
        return null;
    }

    private static Device available(Device d) {
        try {
            return Devices.requireAvailable(d);
        } catch (Devices.DeviceUnavailableException e) {
            throw new CliException(CliException.USAGE, e.getMessage());
        }
    }
}
