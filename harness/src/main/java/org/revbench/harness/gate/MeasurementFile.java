package org.revbench.harness.gate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.revbench.harness.result.MalformedResultsException;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultsJson;

/**
 * Measurements as a JSON array of objects with snake_case keys ({@code table, row, model, scale, protocol,
 * metric, value, unit, seed, spec_hash, details, provenance}): how baselines are committed and how a run hands
 * its numbers to the gate. The format is {@link ResultsJson}'s and so is the reader: {@code seed}, {@code details}
 * and {@code provenance} may be left out or null, {@code value} may be the string {@code "NaN"} or
 * {@code "Infinity"} (a broken measurement is still a measurement).
 */
public final class MeasurementFile {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().setPrettyPrinting().create();

    private MeasurementFile() {}

    /** The measurements in {@code file}, read by {@link ResultsJson#read} (the one reader of this format). */
    public static List<Measurement> read(Path file) {
        try {
            return ResultsJson.read(file);
        } catch (MalformedResultsException e) {
            throw new MeasurementFileException(e.getMessage(), e);
        }
    }

    /** The JSON array {@link #read} reads back (provenance written out when there is one). */
    public static String toJson(List<Measurement> measurements) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Measurement m : measurements) {
            Map<String, Object> o = ResultsJson.toMap(m); // the results store's format, provenance left out when absent
            if (m.provenance() == null) {
                o.remove("provenance");
            }
            out.add(o);
        }
        return GSON.toJson(out);
    }

    public static void write(Path file, List<Measurement> measurements) throws IOException {
        Files.writeString(file, toJson(measurements) + "\n", StandardCharsets.UTF_8);
    }
}
