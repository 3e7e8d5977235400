package org.revbench.harness.result;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one JSON form of a measurement's details map, shared by the store's {@code details} column and the JSON
 * export, so both read back the same values: every number comes back as a {@link Double} (an {@code Integer}
 * batch size of 32 reads back as {@code 32.0}), nested objects as maps and arrays as lists. Nulls and
 * non-finite numbers are kept.
 */
final class DetailsJson {

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    private static final Type MAP = new TypeToken<Map<String, Object>>() {}.getType();

    private DetailsJson() {}

    static String toJson(Map<String, Object> details) {
        return GSON.toJson(details, MAP);
    }

    static Map<String, Object> fromJson(String json) {
        Map<String, Object> m = GSON.fromJson(json, MAP);
        return m == null ? Map.of() : new LinkedHashMap<>(m);
    }

    static Map<String, Object> fromJson(JsonElement json) {
        Map<String, Object> m = GSON.fromJson(json, MAP);
        return m == null ? Map.of() : new LinkedHashMap<>(m);
    }
}
