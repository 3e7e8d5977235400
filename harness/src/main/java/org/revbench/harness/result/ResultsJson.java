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
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.Provenance;

/**
 * Measurements as a JSON file, for moving results between stores and machines: an array of objects with
 * snake_case keys ({@code table, row, model, scale, protocol, metric, value, unit, seed, spec_hash, details,
 * provenance}), the provenance nested as {@link Provenance#toMap()} writes it. A non-finite value is written as
 * {@code NaN} or {@code Infinity} (as Gson does), which reading accepts.
 *
 * <p>Read back, details numbers are Doubles (as from the store); seeds and provenance integers are exact.
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
     * The measurements in {@code file}.
     *
     * @throws MalformedResultsException naming the file, and the record (0-based index) where one is at fault
     */
    public static List<Measurement> read(Path file) {
        List<Measurement> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             JsonReader json = new JsonReader(r)) {
            json.setStrictness(Strictness.LENIENT); // NaN and Infinity values
            if (json.peek() != JsonToken.BEGIN_ARRAY) {
                throw new MalformedResultsException(file + ": expected a JSON array of measurements, found "
                        + json.peek(), null);
            }
            json.beginArray();
            while (json.hasNext()) {
                int index = out.size();
                try {
                    out.add(measurement(JsonParser.parseReader(json)));
                } catch (JsonParseException | IllegalArgumentException | IllegalStateException
                         | UnsupportedOperationException e) {
                    throw new MalformedResultsException(file + ": record " + index + ": " + e.getMessage(), e);
                }
            }
            json.endArray();
            return out;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            // a syntax error between records (the array itself is broken): name the record that would be next
            throw new MalformedResultsException(file + ": record " + out.size() + ": " + e.getMessage(), e);
        }
    }

    private static Measurement measurement(JsonElement e) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("expected an object, found " + e);
        }
        JsonObject o = e.getAsJsonObject();
        JsonElement details = o.get("details");
        return new Measurement(text(o, "table"), text(o, "row"), text(o, "model"), text(o, "scale"),
                text(o, "protocol"), text(o, "metric"), required(o, "value").getAsDouble(), text(o, "unit"),
                isNull(o.get("seed")) ? null : o.get("seed").getAsLong(), text(o, "spec_hash"),
                isNull(details) ? Map.of() : DetailsJson.fromJson(details),
                Provenance.fromMap(flatMap(required(o, "provenance").getAsJsonObject())));
    }

    private static String text(JsonObject o, String key) {
        return required(o, key).getAsString();
    }

    private static JsonElement required(JsonObject o, String key) {
        JsonElement v = o.get(key);
        if (isNull(v)) {
            throw new IllegalArgumentException("missing \"" + key + "\"");
        }
        return v;
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
