package org.revbench.harness.cli;

import java.nio.file.Path;
import org.revbench.harness.spec.Scale;
import picocli.CommandLine.Mixin;

/**
 * How the experiment grid runs: at which scale, on which device, with checkpoints and logs where (mixed into {@code run} and the
 * report module's {@code reproduce}, which hands both on to {@code run}).
 */
public final class GridOptions {

    @Mixin
    ScaleOption scale;

    @Mixin
    WorkDirOption workDir;

    @Mixin
    DeviceOption device;

    /** The device given with {@code --device}, as given, or null (then {@code run} decides: DeviceOption). */
    public String deviceName() { return device.device; }

    /** The scale; an {@link IllegalArgumentException} naming the known ones for any other name. */
    public Scale scale() {
        return scale.scale();
    }

    /** The folder given with {@code --work-dir}, or null for the default. */
    public Path workDir() { return workDir.workDir(); }

    /** Where checkpoints and logs go ({@link WorkDirOption#workDirOrDefault()}). */
    Path workDirOrDefault() {
        return workDir.workDirOrDefault();
    }
}
