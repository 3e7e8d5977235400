package org.revbench.harness.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.revbench.harness.result.MalformedResultsException;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultsJson;

/**
 * The gate's measurements files (committed baselines, a run's numbers handed to the gate): {@link ResultsJson}'s
 * format, read and written by it, so the store's export and the gate's input are one format with one reader and
 * one writer. This class only gives the gate its own exception, so that a bad input file is a usage error there.
 */
public final class MeasurementFile {

    private MeasurementFile() {}

    /** The measurements in {@code file}, read by {@link ResultsJson#read} (its messages, as a gate exception). */
    public static List<Measurement> read(Path file) {
        try {
            return ResultsJson.read(file);
        } catch (MalformedResultsException e) {
            throw new MeasurementFileException(e.getMessage(), e);
        }
    }

    /** Writes {@code measurements} as {@link ResultsJson#write} does; {@link #read} reads them back. */
    public static void write(Path file, List<Measurement> measurements) throws IOException {
        ResultsJson.write(measurements, file);
    }
}
