package org.revbench.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.revbench.core.data.augment.Mixup;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.engine.Tensors;

/** The soft-target loss that mixup training uses agrees with the hard-label loss where the two mean the same. */
class CrossEntropyTest extends EngineTestBase {

    static final double[] LOGITS = {0.3, -1.2, 2.0, 0.1, 0.7, -0.4, 1.5, 0.0, -2.2, 0.9, 0.2, 0.6};

    static double value(NDArray loss) {
        return Tensors.toDoubles(loss)[0];
    }

    @Test
    void unmixedSmoothedTargetsGiveTheSmoothedHardLabelLoss() {
        long[] labels = {2, 0, 3};
        Mixup unmixed = new Mixup(0.5, 0.5, 0.1, 4, Integer.MAX_VALUE);
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = Tensors.fromDoubles(m, LOGITS, new Shape(3, 4), DataType.FLOAT64);
            NDArray y = Tensors.fromLongs(m, labels, new Shape(3));
            NDArray soft = Tensors.fromFloats(m, unmixed.targets(labels, 1.0), new Shape(3, 4));
            assertEquals(value(new CrossEntropy(0.1).loss(logits, y)), value(CrossEntropy.softLoss(logits, soft)), 1e-6);
        }
    }

    @Test
    void aMixedTargetIsTheMixOfTheTwoLosses() {
        long[] labels = {1, 3};
        double lambda = 0.3;
        Mixup mixup = new Mixup(0.5, 1.0, 0.0, 6, Integer.MAX_VALUE);
        try (NDManager m = manager.newSubManager()) {
            NDArray logits = Tensors.fromDoubles(m, LOGITS, new Shape(2, 6), DataType.FLOAT64);
            NDArray soft = Tensors.fromFloats(m, mixup.targets(labels, lambda), new Shape(2, 6));
            NDArray y = Tensors.fromLongs(m, labels, new Shape(2));
            NDArray reversed = Tensors.fromLongs(m, new long[] {3, 1}, new Shape(2));
            double expected = lambda * value(CrossEntropy.plain().loss(logits, y))
                    + (1 - lambda) * value(CrossEntropy.plain().loss(logits, reversed));
            assertEquals(expected, value(CrossEntropy.softLoss(logits, soft)), 1e-6);
        }
    }
}
