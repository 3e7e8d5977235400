package org.revbench.core.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Autograd;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.reversible.Coupling;
import org.revbench.core.reversible.ReversibleStage;
import org.revbench.core.reversible.SequentialCoupling;

/**
 * A caller that hands its input over ({@link Layer#forwardConsuming}) gets what {@link Layer#forward} computes, and its
 * input is closed: by the default, a {@link Sequential} and a {@link ReversibleStage}.
 */
class ForwardConsumingTest extends EngineTestBase {

    static NDArray input(NDManager m) {
        Random r = new Random(5);
        double[] v = new double[2 * 4 * 3 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Tensors.fromDoubles(m, v, new Shape(2, 4, 3, 3), DataType.FLOAT64);
    }

    @Test
    void consumingForwardEqualsForwardAndClosesTheInput() {
        try (NDManager m = manager.newSubManager()) {
            Layer chain = SpikingLayers.convBn(4, 4, 3, 1);
            Layer single = Conv2d.of(4, 4, 3, 1, 1);
            Layer stage = new ReversibleStage(List.<Coupling>of(new SequentialCoupling(SpikingLayers.convBn(2, 2, 3, 1),
                    SpikingLayers.convBn(2, 2, 3, 1))), 1);
            for (Layer layer : List.of(chain, single, stage)) {
                layer.assignPaths("l");
                layer.initialize(m, DataType.FLOAT64, new Random(3));
                ForwardContext ctx = ForwardContext.eval(1);
                try (NDArray x = input(m); NDArray y = Autograd.withRecording(false, () -> layer.forward(x, ctx))) {
                    NDArray handed = input(m);
                    try (NDArray z = Autograd.withRecording(false, () -> layer.forwardConsuming(handed, ctx))) {
                        assertArrayEquals(Tensors.toDoubles(y), Tensors.toDoubles(z), 0, layer.getClass().getSimpleName());
                        assertTrue(handed.isReleased(), layer.getClass().getSimpleName() + " must close its handed input");
                        assertFalse(x.isReleased());
                    }
                }
            }
        }
    }
}
