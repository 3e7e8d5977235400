package org.revbench.harness.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.revbench.harness.bench.OpProfile.Kind;

/** The trace's events, their nesting, self times and the aggregates, on a small hand-written trace. */
class OpProfileTest {

    /**
     * Two iterations' worth of events, in the order libtorch writes them (a call after the calls nested in it).
     * Thread 1: a conv2d with a nested mkldnn_convolution; a mul on activations, a mul_ on a bias, a clone of a
     * scalar, a batch norm; an autograd node (no inputs recorded) with a node and a mul nested in it; an op with
     * no shapes; a to() whose copy_ overruns it by 0.5 us (rounded timestamps). Thread 2: an add on 5-d
     * activations that overlaps thread 1's conv2d in time but is not nested in it. Also a metadata event (ph "M"),
     * which is not an op.
     */
    static final String EVENTS = """
            [
            {"name": "aten::mkldnn_convolution", "ph": "X", "ts": 1, "dur": 8, "tid": 1, "pid": "CPU Functions",
             "shape": [[1, 2, 8, 8], [4, 2, 3, 3]], "cpu mem": "0 b", "args": {}},
            {"name": "aten::conv2d", "ph": "X", "ts": 0, "dur": 10, "tid": 1, "shape": [[1, 2, 8, 8], [4, 2, 3, 3]]},
            {"name": "aten::mul", "ph": "X", "ts": 20, "dur": 2, "tid": 1, "shape": [[1, 4, 8, 8], []]},
            {"name": "aten::mul_", "ph": "X", "ts": 30, "dur": 1, "tid": 1, "shape": [[4], []]},
            {"name": "aten::clone", "ph": "X", "ts": 40, "dur": 0.5, "tid": 1, "shape": [[], []]},
            {"name": "aten::batch_norm", "ph": "X", "ts": 50, "dur": 4, "tid": 1, "shape": [[1, 4, 8, 8], [4], [4]]},
            {"name": "aten::mul", "ph": "X", "ts": 62, "dur": 2, "tid": 1, "shape": [[1, 4, 8, 8], [1, 4, 8, 8]]},
            {"name": "MulBackward0", "ph": "X", "ts": 61, "dur": 4, "tid": 1, "shape": []},
            {"name": "autograd::engine::evaluate_function: MulBackward0", "ph": "X", "ts": 60, "dur": 6, "tid": 1,
             "shape": []},
            {"name": "aten::foo", "ph": "X", "ts": 70, "dur": 1, "tid": 1},
            {"name": "process_name", "ph": "M", "ts": 75, "tid": 1, "args": {"name": "x"}},
            {"name": "aten::copy_", "ph": "X", "ts": 91, "dur": 1.5, "tid": 1, "shape": [[1, 4, 8, 8], [1, 4, 8, 8], []]},
            {"name": "aten::to", "ph": "X", "ts": 90, "dur": 2, "tid": 1, "shape": [[1, 4, 8, 8], [], []]},
            {"name": "aten::add", "ph": "X", "ts": 5, "dur": 3, "tid": "2", "shape": [[1, 1, 4, 8, 8], [1, 1, 4, 8, 8], []]}
            ]""";

    static OpProfile profile(String trace) throws IOException {
        return OpProfile.of(OpProfile.parse(new StringReader(trace)), 2);
    }

    @Test
    void parsesCompleteEventsWithTheirShapes() throws IOException {
        List<OpProfile.Event> events = OpProfile.parse(new StringReader(EVENTS));
        assertEquals(13, events.size()); // the "M" event is not an op
        OpProfile.Event conv = events.get(1);
        assertEquals("aten::conv2d", conv.name());
        assertEquals("1", conv.thread());
        assertEquals(0.0, conv.ts());
        assertEquals(10.0, conv.dur());
        assertEquals(List.of(List.of(1L, 2L, 8L, 8L), List.of(4L, 2L, 3L, 3L)), conv.inputs());
        assertEquals("[[1,2,8,8],[4,2,3,3]]", conv.shapeText());
        assertEquals(0, events.get(4).firstInputDims()); // the clone of a scalar
        assertEquals(-1, events.get(7).firstInputDims()); // an autograd node: no inputs recorded
        assertNull(events.get(9).inputs()); // no "shape" field
        assertEquals("2", events.get(12).thread()); // a string tid reads as a number's does
    }

    @Test
    void rebuildsNestingPerThreadAndComputesSelfTimes() throws IOException {
        OpProfile p = profile(EVENTS);
        assertEquals(2, p.iterations());
        assertEquals(13, p.events());
        assertEquals(9, p.topLevelCalls()); // thread 2's add overlaps the conv2d in time but is on another thread
        assertEquals(29.5, p.opsMicros(), 1e-12); // 10 + 2 + 1 + 0.5 + 4 + 6 + 1 + 2 + 3
        assertEquals(4.5, p.callsPerIteration(), 1e-12);
        assertEquals(0.01475, p.opsMsPerIteration(), 1e-12);

        Map<String, OpProfile.OpRow> ops = p.ops().stream()
                .collect(Collectors.toMap(OpProfile.OpRow::name, Function.identity()));
        assertEquals(12, ops.size());
        assertEquals(row("aten::conv2d", 1, 2, "[[1,2,8,8],[4,2,3,3]]"), ops.get("aten::conv2d")); // 10 - 8 nested
        assertEquals(row("aten::mkldnn_convolution", 1, 8, "[[1,2,8,8],[4,2,3,3]]"), ops.get("aten::mkldnn_convolution"));
        // one call on its own, one nested in MulBackward0; equal counts: the first shape text in order
        assertEquals(row("aten::mul", 2, 4, "[[1,4,8,8],[1,4,8,8]]"), ops.get("aten::mul"));
        assertEquals(row("autograd::engine::evaluate_function: MulBackward0", 1, 2, "-"),
                ops.get("autograd::engine::evaluate_function: MulBackward0"));
        assertEquals(row("MulBackward0", 1, 2, "-"), ops.get("MulBackward0")); // 4 - the nested mul's 2
        assertEquals(row("aten::foo", 1, 1, "-"), ops.get("aten::foo"));
        // the copy_ overruns the to() by 0.5: only its 1 us inside counts against the to()
        assertEquals(row("aten::to", 1, 1, "[[1,4,8,8],[],[]]"), ops.get("aten::to"));
        assertEquals(row("aten::copy_", 1, 1.5, "[[1,4,8,8],[1,4,8,8],[]]"), ops.get("aten::copy_"));
        assertEquals(row("aten::add", 1, 3, "[[1,1,4,8,8],[1,1,4,8,8],[]]"), ops.get("aten::add"));

        // the largest self time first; equal self times by name
        assertEquals(List.of("aten::mkldnn_convolution", "aten::batch_norm", "aten::mul", "aten::add"),
                p.ops().subList(0, 4).stream().map(OpProfile.OpRow::name).toList());
        assertEquals(0.004, p.msPerIteration(p.ops().get(0).selfMicros()), 1e-12); // 8 us over 2 iterations
        assertEquals(8 / 29.5, p.share(p.ops().get(0).selfMicros()), 1e-12);
    }

    @Test
    void classifiesTopLevelCallsByNameThenFirstInput() throws IOException {
        OpProfile p = profile(EVENTS);
        assertEquals(new OpProfile.KindRow(Kind.CONVOLUTION, 1, 10), p.kind(Kind.CONVOLUTION));
        assertEquals(new OpProfile.KindRow(Kind.NORMALISATION, 1, 4), p.kind(Kind.NORMALISATION));
        // the mul, the autograd node (by the mul nested in it), the to(), thread 2's 5-d add
        assertEquals(new OpProfile.KindRow(Kind.ACTIVATIONS, 4, 13), p.kind(Kind.ACTIVATIONS));
        assertEquals(new OpProfile.KindRow(Kind.PARAMETERS, 1, 1), p.kind(Kind.PARAMETERS));
        assertEquals(new OpProfile.KindRow(Kind.SCALAR, 1, 0.5), p.kind(Kind.SCALAR));
        assertEquals(new OpProfile.KindRow(Kind.OTHER, 1, 1), p.kind(Kind.OTHER));
        assertEquals(List.of(Kind.values()), p.kinds().stream().map(OpProfile.KindRow::kind).toList());
        assertEquals(p.topLevelCalls(), p.kinds().stream().mapToLong(OpProfile.KindRow::calls).sum());
        assertEquals(p.opsMicros(), p.kinds().stream().mapToDouble(OpProfile.KindRow::micros).sum(), 1e-12);
        assertEquals(6.5, p.perIteration(13), 1e-12);

        assertEquals(Kind.CONVOLUTION, OpProfile.classify("autograd::engine::evaluate_function: ConvolutionBackward0", -1));
        assertEquals(Kind.NORMALISATION, OpProfile.classify("autograd::engine::evaluate_function: NativeBatchNormBackward0", -1));
        assertEquals(Kind.NORMALISATION, OpProfile.classify("aten::layer_norm", 3));
        assertEquals(Kind.PARAMETERS, OpProfile.classify("aten::matmul", 2));
        assertEquals(Kind.OTHER, OpProfile.classify("aten::view", 6));
    }

    @Test
    void readsTheObjectFormWithTraceEvents() throws IOException {
        String wrapped = "{\"schemaVersion\": 1, \"traceEvents\": " + EVENTS + ", \"displayTimeUnit\": \"ms\"}";
        OpProfile a = profile(EVENTS);
        OpProfile b = profile(wrapped);
        assertEquals(a.events(), b.events());
        assertEquals(a.topLevelCalls(), b.topLevelCalls());
        assertEquals(a.opsMicros(), b.opsMicros());
        assertEquals(a.ops(), b.ops());
        assertEquals(a.kinds(), b.kinds());
    }

    @Test
    void anEmptyTraceHasNoCallsAndNoShares() throws IOException {
        OpProfile p = profile("[]");
        assertEquals(0, p.topLevelCalls());
        assertEquals(0, p.share(1));
        assertEquals(6, p.kinds().size());
        assertThrows(IllegalArgumentException.class, () -> OpProfile.of(List.of(), 0));
    }

    private static OpProfile.OpRow row(String name, long calls, double self, String shape) {
        return new OpProfile.OpRow(name, calls, self, shape);
    }
}
