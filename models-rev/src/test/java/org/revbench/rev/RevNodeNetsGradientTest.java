package org.revbench.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.reversible.GradientCheck;

/**
 * The networks' memory-saving training (every node in place, only last potentials kept) gives the gradients of plain
 * autograd through the same nodes, for both memory-saving backwards, in float64: a small VGG and small ResNets (basic
 * and bottleneck blocks, with and without a projection shortcut, a hidden linear layer with 3 groups).
 */
class RevNodeNetsGradientTest extends EngineTestBase {

    static Network small(NDManager m, String arch, ModelOptions o) {
        InputSpec in = new InputSpec(3, 8, 8, false);
        return switch (arch) {
            case "vgg" -> RevNodeNets.vgg("small-vgg", new int[] {4, RevNodeNets.M, 6, 6, RevNodeNets.M, 8, RevNodeNets.M},
                    NodeKind.REVNODE, in, o.with(RevNodeNets.OPT_HIDDEN, "6").with(RevNodeNets.OPT_GROUPS, "3"), m);
            case "basic" -> RevNodeNets.resnet("small-basic", new RevNodeNets.ResNetConfig(4, new int[] {4, 6}, new int[] {1, 2},
                    new int[] {2, 1}, false, 6), NodeKind.REVNODE, in, o, m);
            case "bottleneck" -> RevNodeNets.resnet("small-bottleneck", new RevNodeNets.ResNetConfig(4, new int[] {2, 4},
                    new int[] {1, 2}, new int[] {2, 1}, true, 0), NodeKind.REVNODE, in, o, m);
            default -> throw new IllegalArgumentException(arch);
        };
    }

    @ParameterizedTest
    @CsvSource({"vgg, inverse-gradient, 3, 65536", "vgg, forward-rerun, 3, 65536", "basic, inverse-gradient, 4, 65536",
        "basic, forward-rerun, 2, 65536", "bottleneck, inverse-gradient, 3, 65536", "bottleneck, forward-rerun, 3, 65536",
        // a chunk below one sample of the first layers (4 x 8 x 8): one sample at a time there, whole batch deeper
        "vgg, inverse-gradient, 3, 100", "basic, forward-rerun, 3, 200", "bottleneck, inverse-gradient, 2, 300"})
    void memorySavingGradientsEqualAutograd(String arch, String backward, int t, long chunk) {
        ModelOptions o = ModelOptions.of(5, t).withDtype(DataType.FLOAT64).withSeed(7).with(RevNodeNets.OPT_BACKWARD, backward)
                .with(RevNodeNets.OPT_REVERSE_CHUNK, Long.toString(chunk));
        try (NDManager m = manager.newSubManager(); Network n = small(m, arch, o)) {
            java.util.Random r = new java.util.Random(3);
            double[] x = new double[4 * 3 * 8 * 8];
            for (int i = 0; i < x.length; i++) {
                x[i] = 1.5 * r.nextGaussian() + 0.5;
            }
            NDArray input = Tensors.fromDoubles(m, x, new ai.djl.ndarray.types.Shape(4, 3, 8, 8), DataType.FLOAT64);
            NDArray labels = Tensors.fromLongs(m, new long[] {0, 1, 2, 3}, new ai.djl.ndarray.types.Shape(4));
            GradientCheck.Result res = GradientCheck.run(n, input, labels);
            System.out.printf(Locale.ROOT, "%s %s T=%d chunk %d: max rel diff %.2e, %d of %d gradients non-zero%n", arch, backward, t, chunk,
                    res.maxRelDifference(), res.reached(), res.rows().size());
            assertEquals(res.rows().size(), res.reached(), "every parameter gets a gradient: nothing untested");
            // 1e-8: the inverse amplifies rounding by up to 1e5 at T 4 (package notes), seen here as 1e-9
            assertTrue(res.maxRelDifference() < 1e-8, arch + " " + backward + ": " + res.rows());
        }
    }
}
