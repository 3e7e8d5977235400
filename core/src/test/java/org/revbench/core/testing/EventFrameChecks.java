package org.revbench.core.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.revbench.core.model.InputSpec;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.train.SyntheticBatch;

/**
 * What an image model fed event frames ({@link InputSpec#withEventFrames}) must do, checked the same way in every
 * models module: take {@code [T, B, 2, H, W]}, predict {@code [B, classes]}, and back-propagate through its
 * memory-saving backward exactly as plain autograd does, now that the stem's gradient arrives frame by frame.
 */
public final class EventFrameChecks {

    private EventFrameChecks() {}

    /** {@code options} with event frames of {@code side x side}. */
    public static ModelOptions onFrames(ModelOptions options, int side) {
        return InputSpec.withEventFrames(options, side, side);
    }

    /**
     * The trainable parameters of {@code def} on event frames minus those on its own input: only the stem's input
     * channels change (and the stems' count, for a model with one stem per step).
     */
    public static long parameterChange(NDManager manager, ModelDefinition def, ModelOptions options, int side) {
        try (NDManager m = manager.newSubManager(); Network image = def.build(m, options);
             Network events = def.build(m, onFrames(options, side))) {
            return events.trainableParameters() - image.trainableParameters();
        }
    }

    /**
     * One float64 training step of {@code def} on synthetic event frames with its memory-saving backward, and of
     * {@code reference} (the same layers and seed) with plain autograd; the largest relative gradient difference over
     * the parameters (each relative to its largest entry). Fails if the logits are not {@code [B, classes]}, if a
     * parameter receives a gradient from one backward only, or a zero gradient.
     */
    public static double gradientGapToAutograd(NDManager manager, ModelDefinition def, ModelDefinition reference,
                                               ModelOptions options, int side) {
        ModelOptions o = onFrames(options.withDtype(DataType.FLOAT64), side);
        double[][] saving = gradients(manager, def, o, true);
        double[][] plain = gradients(manager, reference, o, false);
        if (saving.length != plain.length) {
            throw new AssertionError(def.id() + ": " + saving.length + " parameters vs the reference's " + plain.length);
        }
        double worst = 0;
        for (int i = 0; i < plain.length; i++) {
            if (plain[i] == null || saving[i] == null) {
                if (plain[i] != saving[i]) {
                    throw new AssertionError(def.id() + ": parameter " + i + " has a gradient from "
                            + (plain[i] == null ? "the memory-saving backward only" : "plain autograd only"));
                }
                continue; // the loss does not reach it (an unsupervised head)
            }
            double scale = 0;
            double diff = 0;
            for (int j = 0; j < plain[i].length; j++) {
                scale = Math.max(scale, Math.abs(plain[i][j]));
                diff = Math.max(diff, Math.abs(plain[i][j] - saving[i][j]));
            }
            if (scale == 0) {
                throw new AssertionError(def.id() + ": parameter " + i + " received no gradient from event frames");
            }
            worst = Math.max(worst, diff / scale);
        }
        return worst;
    }

    private static double[][] gradients(NDManager manager, ModelDefinition def, ModelOptions o, boolean memorySaving) {
        int batch = 2;
        try (NDManager m = manager.newSubManager(); Network n = def.build(m, o);
             SyntheticBatch b = SyntheticBatch.of(m, n.input(), batch, o.timesteps(), o.classes(), DataType.FLOAT64, 5)) {
            if (!n.input().events() || !b.input().getShape().equals(n.input().batchShape(batch, o.timesteps()))) {
                throw new AssertionError(def.id() + ": expected event frames, the network takes " + n.input());
            }
            try (NDArray logits = n.predict(b.input())) {
                if (!logits.getShape().equals(new Shape(batch, o.classes()))) {
                    throw new AssertionError(def.id() + ": logits " + logits.getShape() + " from event frames");
                }
            }
            n.setMemorySaving(memorySaving);
            return StepGradients.of(n, b.input(), b.labels());
        }
    }
}
