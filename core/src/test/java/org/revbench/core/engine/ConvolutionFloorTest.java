package org.revbench.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The census counts every convolution by what sets its cost; the floor times each one and sums by count. */
class ConvolutionFloorTest extends EngineTestBase {

    @Test
    void theCensusCountsConvolutionsBySignatureAndRecordingState() {
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.randomNormal(new Shape(2, 4, 8, 8));
            NDArray w = m.randomNormal(new Shape(6, 4, 3, 3));
            NDArray dw = m.randomNormal(new Shape(4, 1, 3, 3));
            Ops.conv2d(x, w, null, 1, 1, 1).close(); // before the census: not counted
            Map<ConvolutionCensus.Signature, Integer> counts;
            try (ConvolutionCensus census = ConvolutionCensus.open()) {
                assertThrows(IllegalStateException.class, ConvolutionCensus::open, "one census per thread");
                for (int i = 0; i < 3; i++) {
                    Ops.conv2d(x, w, null, 1, 1, 1).close();
                }
                Ops.conv2d(x, dw, null, 2, 1, 4).close();
                NDArray leafWeight = w.duplicate();
                leafWeight.setRequiresGradient(true);
                boolean before = Autograd.setRecording(true);
                try {
                    Ops.conv2d(x, leafWeight, null, 1, 1, 1).close();
                } finally {
                    Autograd.setRecording(before);
                }
                counts = census.counts();
                assertEquals(5, census.calls());
            }
            Ops.conv2d(x, w, null, 1, 1, 1).close(); // after: not counted
            assertEquals(3, counts.size());
            ConvolutionCensus.Signature plain = new ConvolutionCensus.Signature(new Shape(2, 4, 8, 8),
                    new Shape(6, 4, 3, 3), false, 1, 1, 1, DataType.FLOAT32, false);
            ConvolutionCensus.Signature depthwise = new ConvolutionCensus.Signature(new Shape(2, 4, 8, 8),
                    new Shape(4, 1, 3, 3), false, 2, 1, 4, DataType.FLOAT32, false);
            ConvolutionCensus.Signature recorded = new ConvolutionCensus.Signature(new Shape(2, 4, 8, 8),
                    new Shape(6, 4, 3, 3), false, 1, 1, 1, DataType.FLOAT32, true);
            assertEquals(3, counts.get(plain));
            assertEquals(1, counts.get(depthwise));
            assertEquals(1, counts.get(recorded), "recorded: timed with both gradients: " + counts);
            // output 2x6x8x8, fan-in 4*3*3; the depth-wise one: 2x4x4x4 outputs, fan-in 1*3*3
            assertEquals(2L * 6 * 8 * 8 * 4 * 3 * 3, plain.forwardMacs());
            assertEquals(2L * 4 * 4 * 4 * 3 * 3, depthwise.forwardMacs());

            ConvolutionFloor.Result floor = ConvolutionFloor.measure(m, counts, 1, 3);
            assertEquals(3, floor.rows().size());
            double sum = 0;
            for (ConvolutionFloor.Row r : floor.rows()) {
                assertTrue(r.millisEach() > 0, r.toString());
                assertEquals(counts.get(r.signature()), r.calls());
                sum += r.calls() * r.millisEach();
            }
            assertEquals(sum, floor.millis(), 1e-9);
            assertFalse(Autograd.isRecording(), "the floor leaves recording as it found it");
        }
    }
}
