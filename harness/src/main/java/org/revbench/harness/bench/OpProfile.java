package org.revbench.harness.bench;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a model's time goes, operation by operation: libtorch's profiler trace
 * ({@link org.revbench.core.engine.OpProfiler}) read back and aggregated per iteration.
 *
 * <p>The trace holds one complete event ({@code ph "X"}) per operation call, nested calls included
 * ({@code aten::conv2d} runs {@code aten::convolution}, which runs {@code aten::mkldnn_convolution}, ...). Nesting is
 * not written down; it is rebuilt per thread from the intervals: an event that starts inside another's interval
 * (on the same thread) is its child. An event's self time is its duration less the part of its direct children's
 * durations that lies inside it. A top-level event (nested in no other) is one call from the caller into libtorch;
 * the durations of the top-level events add up to the time spent inside libtorch.
 *
 * <p>{@link #of} is a pure function of the events, so a test can feed it a hand-written trace.
 */
public final class OpProfile {

    /** What a top-level call works on, by its name and its first input (see {@link #classify}). */
    public enum Kind {
        CONVOLUTION("convolution"),
        NORMALISATION("normalisation"),
        ACTIVATIONS("elementwise on activations (4-5-d)"),
        PARAMETERS("elementwise on weights (1-3-d)"),
        SCALAR("scalar (0-d first input)"),
        OTHER("other");

        private final String label;

        Kind(String label) { this.label = label; }

        public String label() { return label; }

        /** The JSON name: {@code convolution}, {@code scalar}, ... */
        public String id() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * One operation call. {@code ts} and {@code dur} in microseconds; {@code inputs}: the shape of each input
     * ({@code []} for a 0-d tensor or a non-tensor argument), or null where the trace records no shapes.
     */
    public record Event(String name, String thread, double ts, double dur, List<List<Long>> inputs) {

        double end() { return ts + dur; }

        /** Dimensions of the first input; -1 where no input is recorded. */
        int firstInputDims() {
            return inputs == null || inputs.isEmpty() || inputs.get(0) == null ? -1 : inputs.get(0).size();
        }

        /** The shapes as the trace writes them, without spaces: {@code [[1,128,56,56],[],[]]}; "-" where none. */
        String shapeText() {
            if (inputs == null || inputs.isEmpty()) {
                return "-";
            }
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < inputs.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                List<Long> s = inputs.get(i);
                b.append('[');
                for (int j = 0; s != null && j < s.size(); j++) {
                    if (j > 0) {
                        b.append(',');
                    }
                    b.append(s.get(j));
                }
                b.append(']');
            }
            return b.append(']').toString();
        }
    }

    /** One op name: every call of it, nested or not. */
    public record OpRow(String name, long calls, double selfMicros, String commonShape) {}

    /** One kind of top-level call: how many, and their time (with everything nested in them). */
    public record KindRow(Kind kind, long calls, double micros) {}

    private final int iterations;
    private final long events;
    private final long topLevelCalls;
    private final double opsMicros;
    private final List<OpRow> ops;
    private final Map<Kind, KindRow> kinds;

    private OpProfile(int iterations, long events, long topLevelCalls, double opsMicros, List<OpRow> ops,
                      Map<Kind, KindRow> kinds) {
        this.iterations = iterations;
        this.events = events;
        this.topLevelCalls = topLevelCalls;
        this.opsMicros = opsMicros;
        this.ops = ops;
        this.kinds = kinds;
    }

    /** Reads a trace file (an array of events, or an object with {@code "traceEvents"}) and aggregates it. */
    public static OpProfile read(Path trace, int iterations) throws IOException {
        try (Reader r = Files.newBufferedReader(trace, StandardCharsets.UTF_8)) {
            return of(parse(r), iterations);
        }
    }

    /**
     * The complete events ({@code ph "X"}) of a Chrome trace, streamed (traces of large models reach tens of MB);
     * other events and unknown fields are skipped. Equal shape lists are shared.
     */
    public static List<Event> parse(Reader source) throws IOException {
        List<Event> out = new ArrayList<>();
        Map<List<List<Long>>, List<List<Long>>> shapes = new HashMap<>();
        JsonReader in = new JsonReader(source);
        if (in.peek() == JsonToken.BEGIN_OBJECT) {
            in.beginObject();
            while (in.hasNext()) {
                if (in.nextName().equals("traceEvents") && in.peek() == JsonToken.BEGIN_ARRAY) {
                    readEvents(in, out, shapes);
                } else {
                    in.skipValue();
                }
            }
            in.endObject();
        } else {
            readEvents(in, out, shapes);
        }
        return out;
    }

    private static void readEvents(JsonReader in, List<Event> out, Map<List<List<Long>>, List<List<Long>>> shapes)
            throws IOException {
        in.beginArray();
        while (in.hasNext()) {
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                in.skipValue();
                continue;
            }
            String name = null;
            String ph = null;
            String tid = "0";
            double ts = Double.NaN;
            double dur = Double.NaN;
            List<List<Long>> inputs = null;
            in.beginObject();
            while (in.hasNext()) {
                String key = in.nextName();
                if (in.peek() == JsonToken.NULL) {
                    in.nextNull();
                    continue;
                }
                switch (key) {
                    case "name" -> name = in.nextString();
                    case "ph" -> ph = in.nextString();
                    case "tid" -> tid = in.nextString(); // a number or a string; Gson reads either as text
                    case "ts" -> ts = in.nextDouble();
                    case "dur" -> dur = in.nextDouble();
                    case "shape" -> inputs = readShapes(in);
                    default -> in.skipValue();
                }
            }
            in.endObject();
            if ("X".equals(ph) && name != null && Double.isFinite(ts) && Double.isFinite(dur)) {
                if (inputs != null) {
                    inputs = shapes.computeIfAbsent(inputs, k -> k);
                }
                out.add(new Event(name, tid, ts, dur, inputs));
            }
        }
        in.endArray();
    }

    /** A list of shapes (lists of numbers); an entry that is not a list of numbers reads as {@code []}. */
    private static List<List<Long>> readShapes(JsonReader in) throws IOException {
        if (in.peek() != JsonToken.BEGIN_ARRAY) {
            in.skipValue();
            return null;
        }
        List<List<Long>> inputs = new ArrayList<>();
        in.beginArray();
        while (in.hasNext()) {
            List<Long> dims = new ArrayList<>();
            if (in.peek() == JsonToken.BEGIN_ARRAY) {
                in.beginArray();
                while (in.hasNext()) {
                    if (in.peek() == JsonToken.NUMBER) {
                        dims.add(in.nextLong());
                    } else {
                        in.skipValue();
                    }
                }
                in.endArray();
            } else {
                in.skipValue();
            }
            inputs.add(List.copyOf(dims));
        }
        in.endArray();
        return List.copyOf(inputs);
    }

    /**
     * Aggregates {@code events} recorded over {@code iterations} iterations: per op name (calls, self time, most
     * common input shapes) and per kind of top-level call.
     */
    public static OpProfile of(List<Event> events, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        Map<String, List<Event>> byThread = new LinkedHashMap<>();
        for (Event e : events) {
            byThread.computeIfAbsent(e.thread(), t -> new ArrayList<>()).add(e);
        }
        Map<String, long[]> calls = new HashMap<>();
        Map<String, double[]> self = new HashMap<>();
        Map<String, Map<String, Integer>> shapeCounts = new HashMap<>();
        Map<Kind, long[]> kindCalls = new EnumMap<>(Kind.class);
        Map<Kind, double[]> kindMicros = new EnumMap<>(Kind.class);
        long top = 0;
        double inside = 0;
        for (List<Event> thread : byThread.values()) {
            // start order, the longer first at equal starts: a parent comes before its children (pre-order)
            List<Event> sorted = new ArrayList<>(thread);
            sorted.sort(Comparator.comparingDouble(Event::ts).thenComparing(Comparator.comparingDouble(Event::dur).reversed()));
            List<Event> stack = new ArrayList<>();
            double[] childTime = new double[sorted.size()];
            int[] stackIndex = new int[sorted.size()];
            int depth = 0;
            Event topEvent = null;
            Event classifyBy = null;
            for (int i = 0; i < sorted.size(); i++) {
                Event e = sorted.get(i);
                while (depth > 0 && e.ts() >= stack.get(depth - 1).end()) {
                    depth--;
                    finish(stack.get(depth), childTime[stackIndex[depth]], calls, self, shapeCounts);
                }
                if (depth == 0) {
                    if (topEvent != null) {
                        addKind(topEvent, classifyBy, kindCalls, kindMicros);
                    }
                    topEvent = e;
                    classifyBy = null;
                    top++;
                    inside += e.dur();
                } else {
                    Event parent = stack.get(depth - 1);
                    // the part of the child inside its parent (rounded timestamps can let it overrun by a little)
                    childTime[stackIndex[depth - 1]] += Math.max(0, Math.min(e.end(), parent.end()) - e.ts());
                }
                if (classifyBy == null && e.inputs() != null && !e.inputs().isEmpty()) {
                    classifyBy = e; // the first call of this top-level tree that records its inputs
                }
                if (depth < stack.size()) {
                    stack.set(depth, e);
                } else {
                    stack.add(e);
                }
                stackIndex[depth] = i;
                depth++;
            }
            while (depth > 0) {
                depth--;
                finish(stack.get(depth), childTime[stackIndex[depth]], calls, self, shapeCounts);
            }
            if (topEvent != null) {
                addKind(topEvent, classifyBy, kindCalls, kindMicros);
            }
        }
        List<OpRow> ops = new ArrayList<>();
        for (Map.Entry<String, long[]> c : calls.entrySet()) {
            String name = c.getKey();
            ops.add(new OpRow(name, c.getValue()[0], self.get(name)[0], mostCommon(shapeCounts.get(name))));
        }
        ops.sort(Comparator.comparingDouble(OpRow::selfMicros).reversed().thenComparing(OpRow::name));
        Map<Kind, KindRow> kinds = new EnumMap<>(Kind.class);
        for (Kind k : Kind.values()) {
            kinds.put(k, new KindRow(k, kindCalls.getOrDefault(k, new long[1])[0],
                    kindMicros.getOrDefault(k, new double[1])[0]));
        }
        return new OpProfile(iterations, events.size(), top, inside, Collections.unmodifiableList(ops),
                Collections.unmodifiableMap(kinds));
    }

    private static void finish(Event e, double children, Map<String, long[]> calls, Map<String, double[]> self,
                               Map<String, Map<String, Integer>> shapeCounts) {
        calls.computeIfAbsent(e.name(), n -> new long[1])[0]++;
        self.computeIfAbsent(e.name(), n -> new double[1])[0] += Math.max(0, e.dur() - children);
        shapeCounts.computeIfAbsent(e.name(), n -> new HashMap<>()).merge(e.shapeText(), 1, Integer::sum);
    }

    private static void addKind(Event top, Event classifyBy, Map<Kind, long[]> calls, Map<Kind, double[]> micros) {
        Kind k = classify(top.name(), classifyBy == null ? -1 : classifyBy.firstInputDims());
        calls.computeIfAbsent(k, x -> new long[1])[0]++;
        micros.computeIfAbsent(k, x -> new double[1])[0] += top.dur();
    }

    /**
     * The kind of a top-level call, from its name, then from the dimensions of its first input ({@code firstDims};
     * for a call that records no inputs, such as autograd's {@code evaluate_function} wrappers, that of the first
     * call nested in it that does; -1 where none does): a name containing "conv" is a convolution; batch, layer or
     * group norm (and their backward nodes) a normalisation; then by the first input: 4 or 5 dimensions an
     * elementwise op on activations, 1 to 3 one on weights (or other small tensors), 0 a scalar (DJL wraps every
     * Java number in a 0-d tensor; a non-tensor first argument also records as 0-d); anything else other.
     */
    static Kind classify(String name, int firstDims) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.contains("conv")) {
            return Kind.CONVOLUTION;
        }
        if (n.contains("batch_norm") || n.contains("layer_norm") || n.contains("group_norm")
                || n.contains("batchnorm") || n.contains("layernorm") || n.contains("groupnorm")) {
            return Kind.NORMALISATION;
        }
        if (firstDims == 4 || firstDims == 5) {
            return Kind.ACTIVATIONS;
        }
        if (firstDims >= 1 && firstDims <= 3) {
            return Kind.PARAMETERS;
        }
        if (firstDims == 0) {
            return Kind.SCALAR;
        }
        return Kind.OTHER;
    }

    private static String mostCommon(Map<String, Integer> counts) {
        String best = "-";
        int n = -1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > n || (e.getValue() == n && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                n = e.getValue();
            }
        }
        return best;
    }

    /** The iterations the trace covers. */
    public int iterations() { return iterations; }

    /** Every complete event of the trace, nested ones included. */
    public long events() { return events; }

    /** Top-level calls (nested in no other) over all iterations. */
    public long topLevelCalls() { return topLevelCalls; }

    /**
     * Microseconds inside top-level calls (the sum of their durations), over all iterations. This is the sum of
     * every self time, except where a child's rounded end overruns its parent.
     */
    public double opsMicros() { return opsMicros; }

    /** Every op name, the largest self time first. */
    public List<OpRow> ops() { return ops; }

    /** Every kind, in {@link Kind}'s order (kinds without a call have zeros). */
    public List<KindRow> kinds() { return List.copyOf(kinds.values()); }

    public KindRow kind(Kind k) { return kinds.get(k); }

    /** Top-level calls per iteration. */
    public double callsPerIteration() { return topLevelCalls / (double) iterations; }

    /** Milliseconds inside libtorch ops per iteration (as profiled). */
    public double opsMsPerIteration() { return opsMicros / 1000.0 / iterations; }

    /** {@code micros} over all iterations as milliseconds per iteration. */
    public double msPerIteration(double micros) { return micros / 1000.0 / iterations; }

    /** {@code count} over all iterations per iteration. */
    public double perIteration(long count) { return count / (double) iterations; }

    /** {@code micros} as a fraction of the time inside ops (0 when nothing was recorded). */
    public double share(double micros) { return opsMicros > 0 ? micros / opsMicros : 0; }
}
