package org.revbench.harness.result;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.Provenance;

/**
 * Measurements as a JSON file, for moving results between stores and machines: an array of objects with
 * snake_case keys ({@code table, row, model, scale, protocol, metric, value, unit, seed, spec_hash, task_seconds,
 * details, provenance}), the provenance nested as {@link Provenance#toMap()} writes it. {@code task_seconds} (how
 * long the grid task that made the number took) is written only where the measurement has one, so files of
 * measurements without durations stay as they were. A non-finite value is written as {@code NaN} or
 * {@code Infinity} (as Gson does), which reading accepts.
 *
 * <p>Read back, details numbers are Doubles (as from the store); seeds and provenance integers are exact.
 * {@link org.revbench.harness.gate.MeasurementFile} (the gate's files) reads and writes through this class as well.
 */
public final class ResultsJson {

    private ResultsJson() {}

    /** One measurement as the JSON object this format writes (also used by {@code revbench results list --json}). */
    public static Map<String, Object> toMap(Measurement m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("table", m.table());
        o.put("row", m.row());
        o.put("model", m.model());
        o.put("scale", m.scale());
        o.put("protocol", m.protocol());
        o.put("metric", m.metric());
        o.put("value", m.value());
        o.put("unit", m.unit());
        o.put("seed", m.seed());
        o.put("spec_hash", m.specHash());
        if (m.taskSeconds() != null) {
            o.put("task_seconds", m.taskSeconds());
        }
        o.put("details", m.details());
        o.put("provenance", m.provenance() == null ? null : m.provenance().toMap());
        return o;
    }

    /** Writes {@code ms} to {@code file}, replacing it only once the whole file is written. */
    public static void write(List<Measurement> ms, Path file) throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Measurement m : ms) {
            objects.add(toMap(m));
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                DetailsJson.GSON.newBuilder().setPrettyPrinting().create().toJson(objects, w);
                w.write('\n');
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The measurements in {@code file}: the one reader of this format (committed baselines and gate input, store
     * exports). {@code seed}, {@code task_seconds}, {@code details} and {@code provenance} may be left out or null (a
     * measurement without provenance reads back with none, one without {@code task_seconds} with no duration);
     * {@code value} may also be the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} (a broken
     * measurement is still a measurement).
     *
     * @throws MalformedResultsException naming the file, the record (0-based index) where one is at fault, and the
     *         problem
     */
    public static List<Measurement> read(Path file) {
        List<Measurement> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonReader json = new JsonReader(r)) {
            json.setStrictness(Strictness.LENIENT); // NaN and Infinity values
            JsonToken first;
            try {
                first = json.peek();
            } catch (IOException | JsonParseException | IllegalStateException e) {
                throw new MalformedResultsException(file + ": not valid JSON: " + e.getMessage(), e);
            }
            if (first != JsonToken.BEGIN_ARRAY) {
                throw new MalformedResultsException(file + ": expected a JSON array of measurements, found " + first, null);
            }
            json.beginArray();
            while (true) {
                String where = file + ": record " + out.size();
                JsonElement record;
                try {
                    if (!json.hasNext()) {
                        break;
                    }
                    record = JsonParser.parseReader(json);
                } catch (JsonParseException | IllegalStateException e) {
                    throw new MalformedResultsException(where + ": not valid JSON: " + e.getMessage(), e);
                }
                out.add(measurement(record, where));
            }
            json.endArray();
            return out;
        } catch (NoSuchFileException e) {
            throw new MalformedResultsException(file + ": cannot read: no such file", e);
        } catch (IOException e) {
            // a syntax error between records (the array itself is broken): name the record that would be next
            throw new MalformedResultsException(file + ": record " + out.size() + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    private static final String[] REQUIRED_TEXT = {"table", "row", "model", "scale", "protocol", "metric", "unit",
        "spec_hash"};

    private static Measurement measurement(JsonElement element, String where) {
        if (!element.isJsonObject()) {
            throw new MalformedResultsException(where + ": expected an object, got " + element, null);
        }
        JsonObject o = element.getAsJsonObject();
        Map<String, String> text = new LinkedHashMap<>();
        for (String key : REQUIRED_TEXT) {
            JsonElement v = o.get(key);
            if (isNull(v)) {
                throw new MalformedResultsException(where + ": no '" + key + "'", null);
            }
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new MalformedResultsException(where + ": '" + key + "' must be a string, got " + v, null);
            }
            text.put(key, v.getAsString());
        }
        return new Measurement(text.get("table"), text.get("row"), text.get("model"), text.get("scale"),
                text.get("protocol"), text.get("metric"), value(o.get("value"), where), text.get("unit"),
                seed(o.get("seed"), where), text.get("spec_hash"), details(o.get("details"), where),
                provenance(o.get("provenance"), where), taskSeconds(o.get("task_seconds"), where));
    }

    private static double value(JsonElement v, String where) {
        if (isNull(v)) {
            throw new MalformedResultsException(where + ": no 'value'", null);
        }
        if (v.isJsonPrimitive()) {
            JsonPrimitive p = v.getAsJsonPrimitive();
            if (p.isNumber()) {
                return p.getAsDouble();
            }
            if (p.isString()) {
                switch (p.getAsString()) {
                    case "NaN": return Double.NaN;
                    case "Infinity": return Double.POSITIVE_INFINITY;
                    case "-Infinity": return Double.NEGATIVE_INFINITY;
                    default: break;
                }
            }
        }
        throw new MalformedResultsException(where + ": 'value' must be a number, got " + v, null);
    }

    private static Long seed(JsonElement v, String where) {
        if (isNull(v)) {
            return null;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double d = v.getAsDouble();
            if (d == Math.rint(d)) {
                return v.getAsLong();
            }
        }
        throw new MalformedResultsException(where + ": 'seed' must be a whole number or null, got " + v, null);
    }

    private static Double taskSeconds(JsonElement v, String where) {
        if (isNull(v)) {
            return null;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            return v.getAsDouble();
        }
        throw new MalformedResultsException(where + ": 'task_seconds' must be a number or null, got " + v, null);
    }

    private static Map<String, Object> details(JsonElement v, String where) {
        if (isNull(v)) {
            return Map.of();
        }
        if (!v.isJsonObject()) {
            throw new MalformedResultsException(where + ": 'details' must be an object, got " + v, null);
        }
        return DetailsJson.fromJson(v);
    }

    private static Provenance provenance(JsonElement v, String where) {
        if (isNull(v)) {
            return null;
        }
        if (!v.isJsonObject()) {
            throw new MalformedResultsException(where + ": 'provenance' must be an object, got " + v, null);
        }
        try {
            return Provenance.fromMap(flatMap(v.getAsJsonObject()));
        } catch (IllegalArgumentException e) {
            throw new MalformedResultsException(where + ": " + e.getMessage(), e);
        }
    }

    private static boolean isNull(JsonElement v) {
        return v == null || v.isJsonNull();
    }

    /**
     * The provenance object as a map: numbers stay Gson's lazily parsed numbers, so longs (seeds) keep every digit.
     */
    private static Map<String, Object> flatMap(JsonObject o) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> kv : o.entrySet()) {
            JsonElement v = kv.getValue();
            if (v.isJsonNull()) {
                m.put(kv.getKey(), null);
            } else if (!v.isJsonPrimitive()) {
                throw new IllegalArgumentException("provenance field " + kv.getKey() + " is not a plain value: " + v);
            } else {
                JsonPrimitive p = v.getAsJsonPrimitive();
                m.put(kv.getKey(), p.isBoolean() ? p.getAsBoolean() : p.isNumber() ? p.getAsNumber() : p.getAsString());
            }
        }
        return m;
    }
}
