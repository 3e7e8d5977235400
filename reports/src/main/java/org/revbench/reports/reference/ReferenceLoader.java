package org.revbench.reports.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.revbench.core.paper.Paper;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads the reference files: {@code references/columns.yaml} (column policies shared by every paper, in this
 * module) and {@code references/<paper>.yaml} (in the paper's module). Every problem is a {@link ReferenceException} naming the file, the entry and
 * the field.
 */
public final class ReferenceLoader {

    public static final String COLUMNS = "references/columns.yaml";

    private static final Set<String> TOP = Set.of("paper", "title", "authors", "file", "setting", "tables", "audit",
            "values", "claims", "notes", "discrepancies", "figures", "series_names", "columns", "precision", "trajectories");
    private static final Set<String> VALUE = Set.of("table", "row", "column", "value", "unit", "source", "ours_from", "derived");
    private static final Set<String> CLAIM = Set.of("id", "text", "table", "numerator", "denominator", "column", "ours", "target",
            "paper_ratio", "better", "source", "basis", "checks");
    private static final Set<String> FIGURE = Set.of("id", "table", "title", "metric", "x_label", "y_label", "log_y");
    private static final Set<String> POLICY = Set.of("header", "unit", "metric", "factor", "digits", "comparable",
            "reproduced", "within", "better", "why_not", "note", "spec_column", "depends_on_precision");

    private ReferenceLoader() {}

    /** The paper's reference file from the classpath (shipped by its module), with the shared column policies. */
    public static PaperReference resource(Paper paper) {
        String path = paper.referenceResource();
        if (ReferenceLoader.class.getClassLoader().getResource(path) == null) {
            throw new ReferenceException("paper " + paper.id() + " has no reference file " + path
                    + " on the classpath (its module's src/main/resources/" + path + ")");
        }
        PaperReference ref = read(text(path), path, read(COLUMNS));
        if (!ref.paper().equals(paper.id())) {
            throw new ReferenceException(path + ": 'paper' is " + ref.paper() + ", but the file belongs to paper "
                    + paper.id());
        }
        return ref;
    }

    /** The shared column policies. */
    public static Map<String, ColumnPolicy> read(String columnsPath) {
        Map<String, Object> doc = parse(text(columnsPath), columnsPath);
        only(doc, Set.of("columns"), columnsPath);
        return policies(map(doc, "columns", columnsPath), columnsPath);
    }

    /** Parses a paper's reference text; {@code shared} are the column policies its own {@code columns} override. */
    public static PaperReference read(String yaml, String file, Map<String, ColumnPolicy> shared) {
        Map<String, Object> doc = parse(yaml, file);
        only(doc, TOP, file);
        Map<String, ColumnPolicy> columns = new LinkedHashMap<>(shared);
        if (doc.containsKey("columns")) {
            columns.putAll(policies(map(doc, "columns", file), file));
        }
        List<String> tables = strings(doc, "tables", file);
        List<ReferenceValue> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Map<String, Object>> valueMaps = maps(doc, "values", file);
        for (int i = 0; i < valueMaps.size(); i++) {
            Map<String, Object> m = valueMaps.get(i);
            String where = file + ", values entry " + (i + 1);
            only(m, VALUE, where);
            ReferenceValue v = new ReferenceValue(string(m, "table", where), string(m, "row", where),
                    string(m, "column", where), number(m, "value", where), string(m, "unit", where),
                    string(m, "source", where), optString(m, "ours_from", where), optString(m, "derived", where));
            if (!columns.containsKey(v.column())) {
                throw new ReferenceException(where + ": column '" + v.column() + "' has no policy in " + COLUMNS);
            }
            if (!tables.contains(v.table()) && !v.table().equals(doc.get("audit"))) {
                throw new ReferenceException(where + ": table '" + v.table() + "' is not in 'tables' " + tables);
            }
            String unit = columns.get(v.column()).unit();
            if (!unit.equals(v.unit())) {
                throw new ReferenceException(where + ": unit '" + v.unit() + "' but column " + v.column() + " is in '" + unit + "'");
            }
            if (!seen.add(v.table() + "/" + v.row() + "/" + v.column())) {
                throw new ReferenceException(where + ": a second value for " + v.table() + " " + v.row() + " " + v.column());
            }
            values.add(v);
        }
        List<Claim> claims = new ArrayList<>();
        for (Map<String, Object> m : doc.containsKey("claims") ? maps(doc, "claims", file) : List.<Map<String, Object>>of()) {
            String where = file + ", claim " + m.get("id");
            only(m, CLAIM, where);
            String better = optString(m, "better", where);
            if (better != null && !better.equals("lower") && !better.equals("higher")) {
                throw new ReferenceException(where + ": better must be lower or higher, not '" + better + "'");
            }
            String basis = m.containsKey("basis") ? string(m, "basis", where) : "printed";
            if (!basis.equals("printed") && !basis.equals("expected")) {
                throw new ReferenceException(where + ": basis must be printed or expected, not '" + basis + "'");
            }
            Claim c = new Claim(string(m, "id", where), string(m, "text", where), string(m, "table", where),
                    string(m, "numerator", where), string(m, "denominator", where), string(m, "column", where),
                    optString(m, "ours", where), m.containsKey("target") ? number(m, "target", where) : null,
                    m.containsKey("paper_ratio") ? number(m, "paper_ratio", where) : null,
                    better == null ? null : better.equals("lower"), optString(m, "source", where),
                    basis.equals("expected") ? Claim.Basis.EXPECTED : Claim.Basis.PRINTED,
                    m.containsKey("checks") ? strings(m, "checks", where) : List.of());
            if (c.paperRatio() != null && c.source() == null) {
                throw new ReferenceException(where + ": a paper_ratio needs its 'source'");
            }
            if (c.basis() == Claim.Basis.EXPECTED && c.paperRatio() == null) {
                throw new ReferenceException(where + ": an expected ratio is stated with its paper_ratio and source");
            }
            if (c.checks().stream().anyMatch(x -> !x.contains(":")) && doc.get("audit") == null) {
                throw new ReferenceException(where + ": 'checks' names audit rows, but the file has no 'audit' table "
                        + "(name another table's row as table:row)");
            }
            for (String row : c.paperRatio() != null ? List.<String>of() : List.of(c.numerator(), c.denominator())) {
                if (values.stream().noneMatch(v -> v.table().equals(c.table()) && v.row().equals(row) && v.column().equals(c.column()))) {
                    throw new ReferenceException(where + ": no value for " + c.table() + " " + row + " " + c.column());
                }
            }
            if (!columns.containsKey(c.column())) {
                throw new ReferenceException(where + ": column '" + c.column() + "' has no policy");
            }
            if (c.oursColumn() != null && !columns.containsKey(c.oursColumn())) {
                throw new ReferenceException(where + ": 'ours' column '" + c.oursColumn() + "' has no policy");
            }
            claims.add(c);
        }
        List<FigureSpec> figures = new ArrayList<>();
        for (Map<String, Object> m : doc.containsKey("figures") ? maps(doc, "figures", file) : List.<Map<String, Object>>of()) {
            String where = file + ", figure " + m.get("id");
            only(m, FIGURE, where);
            figures.add(new FigureSpec(string(m, "id", where), string(m, "table", where), string(m, "title", where),
                    string(m, "metric", where), string(m, "x_label", where), string(m, "y_label", where),
                    Boolean.TRUE.equals(m.get("log_y"))));
        }
        List<Discrepancy> discrepancies = new ArrayList<>();
        for (Map<String, Object> m : doc.containsKey("discrepancies") ? maps(doc, "discrepancies", file) : List.<Map<String, Object>>of()) {
            String where = file + ", discrepancy " + (discrepancies.size() + 1);
            only(m, Set.of("title", "text"), where);
            discrepancies.add(new Discrepancy(string(m, "title", where), string(m, "text", where)));
        }
        return new PaperReference(string(doc, "paper", file), string(doc, "title", file), string(doc, "authors", file),
                string(doc, "file", file), string(doc, "setting", file), tables, optString(doc, "audit", file),
                List.copyOf(values), List.copyOf(claims), List.copyOf(figures), stringMap(doc, "series_names", file),
                stringMap(doc, "notes", file), List.copyOf(discrepancies),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns)), // ordered: a paper's own columns follow the shared ones
                precision(doc, file), optString(doc, "trajectories", file));
    }

    /** The paper's stated precision: {@code precision: {value: mixed-float16, source: "Sec. 5.1 ..."}}. */
    private static PaperReference.Precision precision(Map<String, Object> doc, String file) {
        String where = file + ", precision";
        if (!doc.containsKey("precision")) {
            throw new ReferenceException(file + ": missing field 'precision' ({value: float32 | mixed-float16 ..., source: "
                    + "where the paper says so}): what the paper measured memory in");
        }
        Map<String, Object> m = map(doc, "precision", file);
        only(m, Set.of("value", "source"), where);
        return new PaperReference.Precision(string(m, "value", where), string(m, "source", where));
    }

    private static Map<String, ColumnPolicy> policies(Map<String, Object> columns, String file) {
        Map<String, ColumnPolicy> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            String where = file + ", column " + e.getKey();
            if (!(e.getValue() instanceof Map<?, ?>)) {
                throw new ReferenceException(where + ": must be a mapping");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            only(m, POLICY, where);
            ColumnPolicy.Comparability comparable;
            try {
                comparable = ColumnPolicy.Comparability.parse(string(m, "comparable", where));
            } catch (IllegalArgumentException ex) {
                throw new ReferenceException(where + ": " + ex.getMessage());
            }
            String better = string(m, "better", where);
            if (!better.equals("lower") && !better.equals("higher")) {
                throw new ReferenceException(where + ": better must be lower or higher, not '" + better + "'");
            }
            if (comparable != ColumnPolicy.Comparability.NEVER && (!m.containsKey("reproduced") || !m.containsKey("within"))) {
                throw new ReferenceException(where + ": a comparable column needs 'reproduced' and 'within' tolerances");
            }
            out.put(e.getKey(), new ColumnPolicy(e.getKey(), string(m, "header", where), string(m, "unit", where),
                    string(m, "metric", where), number(m, "factor", where), (int) number(m, "digits", where), comparable,
                    tolerance(m, "reproduced", where), tolerance(m, "within", where), better.equals("lower"),
                    optString(m, "why_not", where), optString(m, "note", where),
                    m.containsKey("spec_column") ? string(m, "spec_column", where) : e.getKey(),
                    Boolean.TRUE.equals(m.get("depends_on_precision"))));
        }
        return out;
    }

    private static Tolerance tolerance(Map<String, Object> m, String key, String where) {
        if (!m.containsKey(key)) {
            return null;
        }
        if (!(m.get(key) instanceof Map<?, ?> t) || t.size() != 1 || !(t.containsKey("abs") || t.containsKey("rel"))) {
            throw new ReferenceException(where + ": '" + key + "' must be {abs: X} or {rel: X}");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> tm = (Map<String, Object>) t;
        String w = where + ", " + key;
        return tm.containsKey("abs") ? Tolerance.abs(number(tm, "abs", w)) : Tolerance.rel(number(tm, "rel", w));
    }

    private static String text(String path) {
        try (InputStream in = ReferenceLoader.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new ReferenceException(path + ": no such reference file on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ReferenceException(path + ": cannot read: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String yaml, String file) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        } catch (YAMLException e) {
            throw new ReferenceException(file + ": not valid YAML: " + e.getMessage(), e);
        }
        if (!(doc instanceof Map<?, ?>)) {
            throw new ReferenceException(file + ": a reference file is a mapping");
        }
        return (Map<String, Object>) doc;
    }

    private static void only(Map<String, Object> m, Set<String> allowed, String where) {
        for (String k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new ReferenceException(where + ": unknown field '" + k + "' (known: " + new java.util.TreeSet<>(allowed) + ")");
            }
        }
    }

    private static String string(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (v == null) {
            throw new ReferenceException(where + ": missing field '" + key + "'");
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            throw new ReferenceException(where + ": field '" + key + "' must be text");
        }
        return String.valueOf(v);
    }

    private static String optString(Map<String, Object> m, String key, String where) {
        return m.get(key) == null ? null : string(m, key, where);
    }

    private static double number(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new ReferenceException(where + ": field '" + key + "' must be a number" + (v == null ? " (missing)" : ", not '" + v + "'"));
        }
        return n.doubleValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Map<?, ?> v)) {
            throw new ReferenceException(where + ": field '" + key + "' must be a mapping");
        }
        return (Map<String, Object>) v;
    }

    private static Map<String, String> stringMap(Map<String, Object> m, String key, String where) {
        if (!m.containsKey(key)) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        map(m, key, where).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static List<String> strings(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof List<?> l) || l.isEmpty()) {
            throw new ReferenceException(where + ": field '" + key + "' must be a non-empty list");
        }
        return l.stream().map(String::valueOf).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new ReferenceException(where + ": field '" + key + "' must be a list");
        }
        for (int i = 0; i < l.size(); i++) {
            if (!(l.get(i) instanceof Map<?, ?>)) {
                throw new ReferenceException(where + ": " + key + " entry " + (i + 1) + " must be a mapping");
            }
        }
        return (List<Map<String, Object>>) l;
    }
}
