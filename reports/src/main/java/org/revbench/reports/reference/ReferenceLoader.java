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
import org.revbench.harness.yaml.YamlFields;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads the reference files: {@code references/columns.yaml} (column policies shared by every paper, in this
 * module) and {@code references/<paper>.yaml} (in the paper's module). Every problem is a {@link ReferenceException} naming the file, the entry and
 * the field.
 */
public final class ReferenceLoader {

    public static final String COLUMNS = "references/columns.yaml";

    private static final Set<String> TOP = Set.of("paper", "title", "authors", "setting", "tables", "audit",
            "values", "claims", "notes", "discrepancies", "figures", "series_names", "columns", "precision", "trajectories", "crosscheck");
    private static final Set<String> VALUE = Set.of("table", "row", "column", "value", "unit", "source", "ours_from", "derived");
    private static final Set<String> CLAIM = Set.of("id", "text", "table", "numerator", "denominator", "column", "ours", "target",
            "paper_ratio", "better", "source", "basis", "checks");
    private static final Set<String> FIGURE = Set.of("id", "table", "title", "metric", "x_label", "y_label", "log_y");
    private static final Set<String> POLICY = Set.of("header", "unit", "metric", "factor", "digits", "comparable",
            "reproduced", "within", "better", "why_not", "note", "spec_column", "depends_on_precision",
            "shown_where_asked");

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
        Entry doc = parse(text(columnsPath), columnsPath);
        doc.only(Set.of("columns"));
        return policies(doc.map("columns"), columnsPath);
    }

    /** Parses a paper's reference text; {@code shared} are the column policies its own {@code columns} override. */
    public static PaperReference read(String yaml, String file, Map<String, ColumnPolicy> shared) {
        Entry doc = parse(yaml, file);
        doc.only(TOP);
        Map<String, ColumnPolicy> columns = new LinkedHashMap<>(shared);
        if (doc.values().containsKey("columns")) {
            columns.putAll(policies(doc.map("columns"), file));
        }
        List<String> tables = doc.strings("tables");
        List<ReferenceValue> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Map<String, Object>> valueMaps = doc.maps("values");
        for (int i = 0; i < valueMaps.size(); i++) {
            Entry m = new Entry(valueMaps.get(i), file + ", values entry " + (i + 1));
            m.only(VALUE);
            ReferenceValue v = new ReferenceValue(m.string("table"), m.string("row"), m.string("column"),
                    m.number("value"), m.string("unit"), m.string("source"), m.optString("ours_from"),
                    m.optString("derived"));
            if (!columns.containsKey(v.column())) {
                throw m.error("column '" + v.column() + "' has no policy in " + COLUMNS);
            }
            if (!tables.contains(v.table()) && !v.table().equals(doc.get("audit"))) {
                throw m.error("table '" + v.table() + "' is not in 'tables' " + tables);
            }
            String unit = columns.get(v.column()).unit();
            if (!unit.equals(v.unit())) {
                throw m.error("unit '" + v.unit() + "' but column " + v.column() + " is in '" + unit + "'");
            }
            if (!seen.add(v.table() + "/" + v.row() + "/" + v.column())) {
                throw m.error("a second value for " + v.table() + " " + v.row() + " " + v.column());
            }
            values.add(v);
        }
        List<Claim> claims = new ArrayList<>();
        for (Map<String, Object> cm : doc.optMaps("claims")) {
            Entry m = new Entry(cm, file + ", claim " + cm.get("id"));
            m.only(CLAIM);
            String better = m.optString("better");
            if (better != null && !better.equals("lower") && !better.equals("higher")) {
                throw m.error("better must be lower or higher, not '" + better + "'");
            }
            String basis = m.values().containsKey("basis") ? m.string("basis") : "printed";
            if (!basis.equals("printed") && !basis.equals("expected")) {
                throw m.error("basis must be printed or expected, not '" + basis + "'");
            }
            Claim c = new Claim(m.string("id"), m.string("text"), m.string("table"), m.string("numerator"),
                    m.string("denominator"), m.string("column"), m.optString("ours"), m.optNumber("target"),
                    m.optNumber("paper_ratio"), better == null ? null : better.equals("lower"), m.optString("source"),
                    basis.equals("expected") ? Claim.Basis.EXPECTED : Claim.Basis.PRINTED,
                    m.values().containsKey("checks") ? m.strings("checks") : List.of());
            if (c.paperRatio() != null && c.source() == null) {
                throw m.error("a paper_ratio needs its 'source'");
            }
            if (c.basis() == Claim.Basis.EXPECTED && c.paperRatio() == null) {
                throw m.error("an expected ratio is stated with its paper_ratio and source");
            }
            if (c.checks().stream().anyMatch(x -> !x.contains(":")) && doc.get("audit") == null) {
                throw m.error("'checks' names audit rows, but the file has no 'audit' table "
                        + "(name another table's row as table:row)");
            }
            for (String row : c.paperRatio() != null ? List.<String>of() : List.of(c.numerator(), c.denominator())) {
                if (values.stream().noneMatch(v -> v.table().equals(c.table()) && v.row().equals(row) && v.column().equals(c.column()))) {
                    throw m.error("no value for " + c.table() + " " + row + " " + c.column());
                }
            }
            if (!columns.containsKey(c.column())) {
                throw m.error("column '" + c.column() + "' has no policy");
            }
            if (c.oursColumn() != null && !columns.containsKey(c.oursColumn())) {
                throw m.error("'ours' column '" + c.oursColumn() + "' has no policy");
            }
            claims.add(c);
        }
        List<FigureSpec> figures = new ArrayList<>();
        for (Map<String, Object> fm : doc.optMaps("figures")) {
            Entry m = new Entry(fm, file + ", figure " + fm.get("id"));
            m.only(FIGURE);
            figures.add(new FigureSpec(m.string("id"), m.string("table"), m.string("title"), m.string("metric"),
                    m.string("x_label"), m.string("y_label"), Boolean.TRUE.equals(m.get("log_y"))));
        }
        List<Discrepancy> discrepancies = new ArrayList<>();
        for (Map<String, Object> dm : doc.optMaps("discrepancies")) {
            Entry m = new Entry(dm, file + ", discrepancy " + (discrepancies.size() + 1));
            m.only(Set.of("title", "text"));
            discrepancies.add(new Discrepancy(m.string("title"), m.string("text")));
        }
        return new PaperReference(doc.string("paper"), doc.string("title"), doc.string("authors"),
                doc.string("setting"), tables, doc.optString("audit"), List.copyOf(values), List.copyOf(claims),
                List.copyOf(figures), doc.stringMap("series_names"), doc.stringMap("notes"), List.copyOf(discrepancies),
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns)), // ordered: a paper's own columns follow the shared ones
                precision(doc), doc.optString("trajectories"), doc.optString("crosscheck"));
    }

    /** The paper's stated precision: {@code precision: {value: mixed-float16, source: "Sec. 5.1 ..."}}. */
    private static PaperReference.Precision precision(Entry doc) {
        if (!doc.values().containsKey("precision")) {
            throw doc.error("missing field 'precision' ({value: float32 | mixed-float16 ..., source: "
                    + "where the paper says so}): what the paper measured memory in");
        }
        Entry m = new Entry(doc.map("precision"), doc.where() + ", precision");
        m.only(Set.of("value", "source"));
        return new PaperReference.Precision(m.string("value"), m.string("source"));
    }

    private static Map<String, ColumnPolicy> policies(Map<String, Object> columns, String file) {
        Map<String, ColumnPolicy> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : columns.entrySet()) {
            String where = file + ", column " + e.getKey();
            if (!(e.getValue() instanceof Map<?, ?>)) {
                throw new ReferenceException(where + ": must be a mapping");
            }
            @SuppressWarnings("unchecked")
            Entry m = new Entry((Map<String, Object>) e.getValue(), where);
            m.only(POLICY);
            ColumnPolicy.Comparability comparable;
            try {
                comparable = ColumnPolicy.Comparability.parse(m.string("comparable"));
            } catch (IllegalArgumentException ex) {
                throw m.error("" + ex.getMessage());
            }
            String better = m.string("better");
            if (!better.equals("lower") && !better.equals("higher")) {
                throw m.error("better must be lower or higher, not '" + better + "'");
            }
            if (comparable != ColumnPolicy.Comparability.NEVER
                    && (!m.values().containsKey("reproduced") || !m.values().containsKey("within"))) {
                throw m.error("a comparable column needs 'reproduced' and 'within' tolerances");
            }
            out.put(e.getKey(), new ColumnPolicy(e.getKey(), m.string("header"), m.string("unit"), m.string("metric"),
                    m.number("factor"), (int) m.number("digits"), comparable, tolerance(m, "reproduced"),
                    tolerance(m, "within"), better.equals("lower"), m.optString("why_not"), m.optString("note"),
                    m.values().containsKey("spec_column") ? m.string("spec_column") : e.getKey(),
                    Boolean.TRUE.equals(m.get("depends_on_precision")), Boolean.TRUE.equals(m.get("shown_where_asked"))));
        }
        return out;
    }

    private static Tolerance tolerance(Entry m, String key) {
        if (!m.values().containsKey(key)) {
            return null;
        }
        if (!(m.get(key) instanceof Map<?, ?> t) || t.size() != 1 || !(t.containsKey("abs") || t.containsKey("rel"))) {
            throw m.error("'" + key + "' must be {abs: X} or {rel: X}");
        }
        @SuppressWarnings("unchecked")
        Entry tm = new Entry((Map<String, Object>) t, m.where() + ", " + key);
        return tm.values().containsKey("abs") ? Tolerance.abs(tm.number("abs")) : Tolerance.rel(tm.number("rel"));
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
    private static Entry parse(String yaml, String file) {
        Object doc = YamlFields.parse(yaml, new LoaderOptions(), file, ReferenceException::new);
        if (!(doc instanceof Map<?, ?>)) {
            throw new ReferenceException(file + ": a reference file is a mapping");
        }
        return new Entry((Map<String, Object>) doc, file);
    }

    /** A mapping of a reference file: its fields as the reference files take them (any scalar is text). */
    private static final class Entry extends YamlFields<ReferenceException> {

        Entry(Map<String, Object> values, String where) {
            super(values, where, ReferenceException::new);
        }

        void only(Set<String> allowed) {
            allowOnly(allowed, (k, known) -> "unknown field '" + k + "' (known: " + known + ")");
        }

        String string(String key) {
            Object v = require(key);
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw error(key, "must be text");
            }
            return String.valueOf(v);
        }

        String optString(String key) {
            return has(key) ? string(key) : null;
        }

        double number(String key) {
            Object v = get(key);
            if (!(v instanceof Number n)) {
                throw error(key, "must be a number" + (v == null ? " (missing)" : ", not '" + v + "'"));
            }
            return n.doubleValue();
        }

        Double optNumber(String key) {
            return values().containsKey(key) ? number(key) : null;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key) {
            if (!(get(key) instanceof Map<?, ?> v)) {
                throw error(key, "must be a mapping");
            }
            return (Map<String, Object>) v;
        }

        Map<String, String> stringMap(String key) {
            if (!values().containsKey(key)) {
                return Map.of();
            }
            Map<String, String> out = new LinkedHashMap<>();
            map(key).forEach((k, v) -> out.put(k, String.valueOf(v)));
            return out;
        }

        List<String> strings(String key) {
            if (!(get(key) instanceof List<?> l) || l.isEmpty()) {
                throw error(key, "must be a non-empty list");
            }
            return l.stream().map(String::valueOf).toList();
        }

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> maps(String key) {
            if (!(get(key) instanceof List<?> l)) {
                throw error(key, "must be a list");
            }
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Map<?, ?>)) {
                    throw error(key + " entry " + (i + 1) + " must be a mapping");
                }
            }
            return (List<Map<String, Object>>) l;
        }

        /** The list of mappings under {@code key}; none when the key is left out. */
        List<Map<String, Object>> optMaps(String key) {
            return values().containsKey(key) ? maps(key) : List.of();
        }
    }
}
