package org.revbench.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.testing.EventFrameChecks;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;

/** The registered networks and their exact trainable-parameter counts, derived here from the layer shapes. */
class RevNodeModelsTest extends EngineTestBase {

    // ---- counts from shapes: conv k x k without bias, BN gamma + beta, Linear weight + bias ----
    static long conv(long in, long out, long k) { return in * out * k * k; }

    static long bn(long c) { return 2 * c; }

    static long linear(long in, long out) { return in * out + out; }

    static long vgg(int[] cfg, int hidden, int classes) {
        long n = 0;
        long in = 3;
        for (int c : cfg) {
            if (c > 0) {
                n += conv(in, c, 3) + bn(c);
                in = c;
            }
        }
        return n + linear(512, hidden) + linear(hidden, classes);
    }

    static long resnet(int stem, int[] widths, int[] strides, int[] blocks, boolean bottleneck, int hidden, int classes) {
        long n = conv(3, stem, 3) + bn(stem);
        long in = stem;
        for (int s = 0; s < widths.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = b == 0 ? strides[s] : 1;
                long w = widths[s];
                long out = bottleneck ? 4 * w : w;
                if (bottleneck) {
                    n += conv(in, w, 1) + bn(w) + conv(w, w, 3) + bn(w) + conv(w, out, 1) + bn(out);
                } else {
                    n += conv(in, w, 3) + bn(w) + conv(w, w, 3) + bn(w);
                }
                if (stride != 1 || in != out) {
                    n += conv(in, out, 1) + bn(out);
                }
                in = out;
            }
        }
        return n + (hidden > 0 ? linear(in, hidden) + linear(hidden, classes) : linear(in, classes));
    }

    static long expected(String arch, int classes, int hidden) {
        int[] std = {64, 128, 256, 512};
        int[] s4 = {1, 2, 2, 2};
        return switch (arch) {
            case "vgg11" -> vgg(RevNodeNets.VGG11, hidden, classes);
            case "vgg13" -> vgg(RevNodeNets.VGG13, hidden, classes);
            case "vgg16" -> vgg(RevNodeNets.VGG16, hidden, classes);
            case "vgg19" -> vgg(RevNodeNets.VGG19, hidden, classes);
            case "resnet18" -> resnet(64, std, s4, new int[] {2, 2, 2, 2}, false, 0, classes);
            case "resnet34" -> resnet(64, std, s4, new int[] {3, 4, 6, 3}, false, 0, classes);
            case "resnet50" -> resnet(64, std, s4, new int[] {3, 4, 6, 3}, true, 0, classes);
            case "resnet101" -> resnet(64, std, s4, new int[] {3, 4, 23, 3}, true, 0, classes);
            case "resnet19" -> resnet(128, new int[] {128, 256, 512}, new int[] {1, 2, 2}, new int[] {3, 3, 2}, false, 256, classes);
            default -> throw new IllegalArgumentException(arch);
        };
    }

    /** The count from the shapes above, and the same number written out (so a change to both shows). */
    @ParameterizedTest
    @CsvSource({
        "vgg11, 10, 9290186", "vgg13, 10, 9474890", "vgg16, 10, 14785866", "vgg19, 10, 20096842",
        "vgg11, 100, 9301796", "vgg19, 100, 20108452",
        "resnet18, 10, 11173962", "resnet19, 10, 12697994", "resnet34, 10, 21282122", "resnet50, 10, 23520842", "resnet101, 10, 42512970",
        "resnet18, 100, 11220132",
    })
    void trainableParameterCountsAreExact(String arch, int classes, long literal) {
        long want = expected(arch, classes, 128);
        for (NodeKind k : NodeKind.values()) {
            ModelDefinition d = ModelRegistry.load().get(arch + "-" + k.tag());
            try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().withClasses(classes))) {
                assertEquals(want, n.trainableParameters(), d.id());
            }
        }
        assertEquals(literal, want);
    }

    /** The 144-wide classifier of the group ablation: 16 more hidden units than the default 128. */
    @Test
    void wideVariantsWidenOnlyTheHiddenLayer() {
        for (String id : List.of("vgg13-revnode-w144", "vgg16-lif-w144")) {
            ModelDefinition d = ModelRegistry.load().get(id);
            String arch = id.substring(0, 5);
            try (NDManager m = manager.newSubManager(); Network n = d.build(m, d.defaults().with(RevNodeNets.OPT_GROUPS, "144"))) {
                assertEquals(expected(arch, 100, 144), n.trainableParameters(), id);
            }
        }
    }

    @Test
    void everyFamilyMemberIsRegisteredWithThreeNodes() {
        List<String> ids = ModelRegistry.load().ids();
        for (String a : List.of("vgg11", "vgg13", "vgg16", "vgg19", "resnet18", "resnet19", "resnet34", "resnet50", "resnet101")) {
            for (NodeKind k : NodeKind.values()) {
                assertTrue(ids.contains(a + "-" + k.tag()), a + "-" + k.tag());
            }
        }
    }

    /**
     * Fed event frames (the head-to-head study's event data), ResNet-18's stem conv 3x3 3->64 takes 2 channels, runs on
     * every frame, and the reversible nodes' backward still gives plain autograd's gradients.
     */
    @Test
    void onEventFramesTheStemTakesTwoChannelsAndGradientsMatchAutograd() {
        ModelDefinition d = ModelRegistry.load().get("resnet18-revnode");
        ModelOptions o = d.defaults().withTimesteps(2).withClasses(10);
        assertEquals(-64L * 9, EventFrameChecks.parameterChange(manager, d, o, 32));
        double gap = EventFrameChecks.gradientGapToAutograd(manager, d, d, o, 16);
        assertTrue(gap <= 1e-9, "gradients differ from autograd's by " + gap);
    }
}
