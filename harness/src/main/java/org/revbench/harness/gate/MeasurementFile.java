package org.revbench.harness.gate;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.result.ResultsJson;

/**
 * Measurements as a JSON array of objects with snake_case keys ({@code table, row, model, scale, protocol,
 * metric, value, unit, seed, spec_hash, details, provenance}): how baselines are committed and how a run hands
 * its numbers to the gate. {@code seed}, {@code details} and {@code provenance} may be left out or null; the
 * gate does not need provenance, so it is not read back. {@code value} may be the string {@code "NaN"} or
 * {@code "Infinity"} (a broken measurement is still a measurement).
 */
public final class MeasurementFile {

    private static final String[] REQUIRED_TEXT = {"table", "row", "model", "scale", "protocol", "metric", "unit",
        "spec_hash"};

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().setPrettyPrinting().create();

    private MeasurementFile() {}

    public static List<Measurement> read(Path file) {
        JsonElement root;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = JsonParser.parseReader(in);
        } catch (NoSuchFileException e) {
            throw new MeasurementFileException(file + ": cannot read: no such file", e);
        } catch (IOException e) {
            throw new MeasurementFileException(file + ": cannot read: " + e, e);
        } catch (JsonParseException e) {
            throw new MeasurementFileException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) {
            throw new MeasurementFileException(file + ": expected a JSON array of measurements");
        }
        JsonArray array = root.getAsJsonArray();
        List<Measurement> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(measurement(array.get(i), file + ": [" + i + "]"));
        }
        return out;
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

    private static Measurement measurement(JsonElement element, String where) {
        if (!element.isJsonObject()) {
            throw new MeasurementFileException(where + ": expected an object, got " + element);
        }
        JsonObject o = element.getAsJsonObject();
        Map<String, String> text = new LinkedHashMap<>();
        for (String key : REQUIRED_TEXT) {
            JsonElement v = o.get(key);
            if (v == null || v.isJsonNull()) {
                throw new MeasurementFileException(where + ": no '" + key + "'");
            }
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new MeasurementFileException(where + ": '" + key + "' must be a string, got " + v);
            }
            text.put(key, v.getAsString());
        }
        return new Measurement(text.get("table"), text.get("row"), text.get("model"), text.get("scale"),
                text.get("protocol"), text.get("metric"), value(o.get("value"), where), text.get("unit"),
                seed(o.get("seed"), where), text.get("spec_hash"), details(o.get("details"), where), null);
    }

    private static double value(JsonElement v, String where) {
        if (v == null || v.isJsonNull()) {
            throw new MeasurementFileException(where + ": no 'value'");
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
        throw new MeasurementFileException(where + ": 'value' must be a number, got " + v);
    }

    private static Long seed(JsonElement v, String where) {
        if (v == null || v.isJsonNull()) {
            return null;
        }
        if (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber()) {
            double d = v.getAsDouble();
            if (d == Math.rint(d)) {
                return v.getAsLong();
            }
        }
        throw new MeasurementFileException(where + ": 'seed' must be a whole number or null, got " + v);
    }

    private static Map<String, Object> details(JsonElement v, String where) {
        if (v == null || v.isJsonNull()) {
            return Map.of();
        }
        if (!v.isJsonObject()) {
            throw new MeasurementFileException(where + ": 'details' must be an object, got " + v);
        }
        return GSON.fromJson(v, new TypeToken<Map<String, Object>>() {}.getType());
    }
}
