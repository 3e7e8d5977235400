package org.revbench.harness.bench;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.nn.StatisticsRecorder;
import org.revbench.core.train.ModelOnBatch;

/**
 * The split's MACs per phase, exactly, against the architecture's own count (the static protocol's profiling forward):
 * a plain network recomputes nothing; RevSResNet21 recomputes every convolution once and back-propagates the same
 * convolutions as plain autograd does.
 */
class TrainingPhaseSplitTest {

    private static final int BATCH = 2;

    @Test
    void aPlainNetworkRecomputesNothingAndBackPropagatesEveryConvolutionOnce() {
        ModelDefinition d = ModelRegistry.load().get("ms-resnet20-dvs");
        ModelOptions o = d.defaults().withTimesteps(2).withClasses(10).withDtype(DataType.FLOAT32);
        long convMacs = staticConvMacs(d, o, e -> true) * BATCH;
        TrainingPhaseSplit.Result r = measure(d, o);
        assertEquals(convMacs, r.forwardMacs());
        assertEquals(0, r.recomputeMacs());
        assertEquals(2 * convMacs, r.backwardMacs());
        assertEquals(2 * convMacs, r.autogradBackwardMacs());
        assertTimed(r);
    }

    @Test
    void aReversibleNetworkRecomputesEveryConvolutionOnceAndBackPropagatesAsAutogradDoes() {
        ModelDefinition d = ModelRegistry.load().get("revsresnet21");
        ModelOptions o = d.defaults().withTimesteps(1).withClasses(10).withDtype(DataType.FLOAT32);
        long convMacs = staticConvMacs(d, o, e -> true) * BATCH;
        long stageMacs = staticConvMacs(d, o, e -> e.layer().contains(".stage.")) * BATCH;
        long preludeMacs = staticConvMacs(d, o, e -> e.layer().contains(".prelude.")) * BATCH;
        assertEquals(convMacs, stageMacs + preludeMacs);
        TrainingPhaseSplit.Result r = measure(d, o);
        assertEquals(convMacs, r.forwardMacs());
        // each coupling function runs once in the backward, recorded, its output serving both the reconstruction and
        // the gradient; each stage's prelude is recomputed rather than its graph kept (PreludedStage)
        assertEquals(stageMacs + preludeMacs, r.recomputeMacs());
        assertEquals(2 * convMacs, r.backwardMacs());
        assertEquals(r.autogradBackwardMacs(), r.backwardMacs());
        assertEquals(r.forwardMacs() + r.recomputeMacs() + r.backwardMacs(), r.macs());
        assertTimed(r);
    }

    private static TrainingPhaseSplit.Result measure(ModelDefinition d, ModelOptions o) {
        try (ModelOnBatch mb = ModelOnBatch.open(d, o, BATCH, 7, Device.cpu())) {
            return TrainingPhaseSplit.measure(mb, 1, 1);
        }
    }

    /** Every phase was timed (a duration, not a figure to hold it to). */
    private static void assertTimed(TrainingPhaseSplit.Result r) {
        assertTrue(r.forwardMs() > 0 && r.backwardMs() > 0 && r.autogradForwardMs() > 0 && r.autogradBackwardMs() > 0
                && r.updateMs() > 0, r.toString());
        assertEquals(r.forwardMs() + r.backwardMs() + r.updateMs(), r.stepMs(), 1e-9);
        assertEquals(1, r.iterations());
    }

    /** Conv MACs per image of the layers {@code which} selects, from the static protocol's profiling forward. */
    private static long staticConvMacs(ModelDefinition d, ModelOptions o, Predicate<StatisticsRecorder.Entry> which) {
        Engines.start();
        try (NDManager m = Engines.newManager(Device.cpu()); Network n = d.build(m, o)) {
            return n.profile().entries().stream().filter(e -> e.kind().startsWith("conv")).filter(which)
                    .mapToLong(StatisticsRecorder.Entry::macsPerImage).sum();
        }
    }
}
