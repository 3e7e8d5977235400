package org.revbench.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * {@link Ops#conv2d} of a dense 3x3 convolution over 88 input channels (T-RevSNN-tiny's at T 2, not a multiple of
 * oneDNN's block of 16) right after memory full of NaN was freed, as a training step leaves it: output, input gradient
 * and weight gradient are finite and agree with the same convolution in float64. Before the channels were padded
 * here, libtorch's convolution read the freed NaN (every run under tcmalloc, the allocator the test JVMs preload where
 * it is installed).
 */
class OpsTest extends EngineTestBase {

    @Test
    void aDenseConvolutionOverChannelsOffTheBlockIgnoresWhatFreedMemoryHeld() {
        for (int round = 0; round < 3; round++) {
            try (NDManager m = manager.newSubManager()) {
                m.full(new Shape(4, 1 << 20), Float.NaN).close(); // 16 MiB of NaN handed back to the allocator
                NDArray x = m.randomNormal(new Shape(1, 88, 28, 28));
                NDArray w = m.randomNormal(0, 0.05f, new Shape(88, 88, 3, 3), DataType.FLOAT32);
                NDArray b = m.randomNormal(0, 0.05f, new Shape(88), DataType.FLOAT32);
                double[][] ours = run(x, w, b);
                double[][] reference;
                try (NDArray x64 = x.toType(DataType.FLOAT64, false); NDArray w64 = w.toType(DataType.FLOAT64, false);
                     NDArray b64 = b.toType(DataType.FLOAT64, false)) {
                    reference = run(x64, w64, b64);
                }
                String[] what = {"output", "input gradient", "weight gradient", "bias gradient"};
                for (int i = 0; i < what.length; i++) {
                    assertEquals(reference[i].length, ours[i].length, what[i]);
                    double worst = 0;
                    for (int j = 0; j < ours[i].length; j++) {
                        assertTrue(Double.isFinite(ours[i][j]), what[i] + " element " + j + " is " + ours[i][j]);
                        worst = Math.max(worst, Math.abs(ours[i][j] - reference[i][j]) / (1 + Math.abs(reference[i][j])));
                    }
                    assertTrue(worst < 1e-4, what[i] + ": " + worst + " from float64");
                }
            }
        }
    }

    /** Output, input, weight and bias gradients of one recorded convolution (stride 1, padding 1) from a gradient of ones. */
    private static double[][] run(NDArray x, NDArray w, NDArray b) {
        NDManager m = x.getManager();
        try (NDArray xl = Autograd.detachedLeaf(x); NDArray wl = Autograd.detachedLeaf(w); NDArray bl = Autograd.detachedLeaf(b)) {
            boolean before = Autograd.setRecording(true);
            NDArray y;
            try {
                y = Ops.conv2d(xl, wl, bl, 1, 1, 1);
            } finally {
                Autograd.setRecording(before);
            }
            try (y; NDArray ones = m.ones(y.getShape(), y.getDataType())) {
                Autograd.backward(y, ones);
                try (NDArray gx = Autograd.gradient(xl); NDArray gw = Autograd.gradient(wl); NDArray gb = Autograd.gradient(bl)) {
                    assertEquals(x.getShape(), gx.getShape());
                    assertEquals(w.getShape(), gw.getShape());
                    return new double[][] {Tensors.toDoubles(y), Tensors.toDoubles(gx), Tensors.toDoubles(gw), Tensors.toDoubles(gb)};
                }
            }
        }
    }
}
