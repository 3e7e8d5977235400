package org.revbench.harness.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.revbench.harness.yaml.YamlFields;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads experiment specs (YAML). A row's settings at a scale are the spec's {@code defaults}, overridden by the
 * row's own fields, then by the spec's {@code scales.<scale>} reduction, then by the row's {@code scales.<scale>};
 * mappings merge key by key, everything else replaces. The paper scale is defaults plus row.
 *
 * <p>Every problem is a {@link SpecException} naming the file, the row, the scale and the field.
 */
public final class SpecLoader {

    private static final Set<String> TOP = Set.of("paper", "study", "table", "title", "source", "defaults", "scales", "rows");
    private static final Set<String> ROW_ONLY = Set.of("id", "model", "label", "group", "role", "scales", "quoted");

    private SpecLoader() {}

    /** Reads a spec from the classpath, e.g. {@code specs/pararevsnn/table2.yaml}. */
    public static ExperimentSpec resource(String path) {
        try (InputStream in = SpecLoader.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new SpecException(path + ": no such spec on the classpath");
            }
            return read(new String(in.readAllBytes(), StandardCharsets.UTF_8), path, m -> true);
        } catch (IOException e) {
            throw new SpecException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The most aliases ({@code *name}) of mappings or lists a spec may use. */
    static final int MAX_ALIASES = 1000;

    /**
     * Parses spec text. {@code modelExists} checks every row's model id (pass the registry's lookup; tests may
     * pass {@code m -> true}).
     */
    @SuppressWarnings("unchecked")
    public static ExperimentSpec read(String yaml, String file, Predicate<String> modelExists) {
        LoaderOptions options = new LoaderOptions();
        // a table's rows share their per-scale settings through one anchor (revnode Figure 4 has 87 rows); the
        // default of 50 aliases guards untrusted input against alias bombs, and 1000 still bounds it
        options.setMaxAliasesForCollections(MAX_ALIASES);
        // through a Reader, so that SnakeYAML's part of the message names the stream as it always has ('reader')
        Object doc = YamlFields.parse(new StringReader(yaml), options, file, SpecException::new);
        if (!(doc instanceof Map<?, ?>)) {
            throw new SpecException(file + ": a spec is a mapping with paper, table, title, defaults, scales and rows");
        }
        Fields top = new Fields((Map<String, Object>) doc, file);
        top.allowOnly(TOP);
        if (top.has("paper") == top.has("study")) {
            throw new SpecException(file + ": a spec names either the 'paper' whose table it reproduces or the 'study'"
                    + " it belongs to, exactly one of them");
        }
        boolean study = top.has("study");
        Map<String, Object> defaults = top.map("defaults");
        Map<String, Object> scaleReductions = top.has("scales") ? top.map("scales") : Map.of();
        checkScaleKeys(scaleReductions, file);
        Object rowsValue = top.get("rows");
        if (!(rowsValue instanceof List<?> rowList) || rowList.isEmpty()) {
            throw new SpecException(file + ": 'rows' must be a non-empty list");
        }
        List<SpecRow> rows = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < rowList.size(); i++) {
            if (!(rowList.get(i) instanceof Map<?, ?> rowMap)) {
                throw new SpecException(file + ": row " + (i + 1) + " must be a mapping");
            }
            Fields rf = new Fields((Map<String, Object>) rowMap, file + ", row " + (i + 1));
            String id = rf.string("id");
            String where = file + ", row " + id;
            if (!ids.add(id)) {
                throw new SpecException(where + ": duplicate row id");
            }
            rf = new Fields((Map<String, Object>) rowMap, where);
            // a row the paper quotes from another paper: shown with the paper's values, built by no one here
            String quoted = rf.optString("quoted");
            if (quoted != null && rf.has("model")) {
                throw new SpecException(where + ": a quoted row has no model (the paper quotes it; give one or the other)");
            }
            String model = quoted != null ? null : rf.string("model");
            if (model != null && !modelExists.test(model)) {
                throw new SpecException(where + ": unknown model '" + model + "' (see `revbench models`)");
            }
            Map<String, Object> rowSettings = new LinkedHashMap<>((Map<String, Object>) rowMap);
            ROW_ONLY.forEach(rowSettings::remove);
            String quotedNotRun = quoted == null ? null : quotedNotRun(quoted);
            if (quoted != null) {
                rowSettings.put("not_run", quotedNotRun);
            }
            Map<String, Object> rowScales = rf.has("scales") ? rf.map("scales") : Map.of();
            checkScaleKeys(rowScales, where);
            Map<Scale, RowSettings> byScale = new EnumMap<>(Scale.class);
            for (Scale s : Scale.values()) {
                Map<String, Object> merged = merge(defaults, rowSettings);
                // the paper's scale reduces nothing; it may only name the device it runs on (checkScaleKeys)
                merged = merge(merged, asMap(scaleReductions.get(s.id()), file + ", scales." + s.id()));
                merged = merge(merged, asMap(rowScales.get(s.id()), where + ", scales." + s.id()));
                byScale.put(s, RowSettings.from(merged, where + ", scale " + s.id()));
            }
            if (quoted != null) {
                // no scale may run what is not built: the row's own scale reductions cannot lift the not_run
                byScale.replaceAll((s, at) -> at.notRun() != null ? at : RowSettings.from(
                        merge(at.raw(), Map.of("not_run", quotedNotRun)), where + ", scale " + s.id()));
            }
            String role = rf.optString("role");
            if (role != null && !role.equals(SpecRow.BASELINE) && !role.equals(SpecRow.ALTERNATIVE)) {
                throw new SpecException(where + ": 'role' must be " + SpecRow.BASELINE + " or " + SpecRow.ALTERNATIVE
                        + ", got '" + role + "'");
            }
            if (role != null && !study) {
                throw new SpecException(where + ": 'role' is for a study's rows (what its page compares with)");
            }
            rows.add(new SpecRow(id, model, rf.has("label") ? rf.string("label") : id, rf.optString("group"), role, byScale));
        }
        return new ExperimentSpec(top.string(study ? "study" : "paper"), study, top.string("table"), top.string("title"),
                top.has("source") ? top.string("source") : "", file, List.copyOf(rows));
    }

    /** Why a quoted row is not run, and what would run it. */
    static String quotedNotRun(String source) {
        return "quoted by the paper from " + source + "; not built here (its network and training method, registered"
                + " as a model, would run it)";
    }

    private static void checkScaleKeys(Map<String, Object> scales, String where) {
        for (String k : scales.keySet()) {
            if (k.equals(Scale.PAPER.id())) {
                Object paper = scales.get(k);
                if (paper instanceof Map<?, ?> m && !m.keySet().stream().allMatch(PAPER_SCALE_KEYS::contains)) {
                    throw new SpecException(where + ": 'scales.paper' may only name the device the paper's protocol runs"
                            + " on (" + String.join(", ", PAPER_SCALE_KEYS) + "), got " + m.keySet());
                }
            } else if (!k.equals(Scale.CPU.id()) && !k.equals(Scale.SMOKE.id())) {
                throw new SpecException(where + ": 'scales' may reduce cpu and smoke only (the paper scale is the"
                        + " paper's protocol), got '" + k + "'");
            }
        }
    }

    /** What {@code scales.paper} may set: the paper's protocol is the spec's defaults, unreduced. */
    private static final List<String> PAPER_SCALE_KEYS = List.of("device");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object v, String where) {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new SpecException(where + ": must be a mapping of settings");
        }
        return (Map<String, Object>) m;
    }

    /** {@code over} on top of {@code base}; nested mappings merge key by key. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            Object b = out.get(k);
            if (b instanceof Map<?, ?> bm && v instanceof Map<?, ?> vm) {
                out.put(k, merge((Map<String, Object>) bm, (Map<String, Object>) vm));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
