package org.revbench.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.revbench.core.engine.Autograd;
import org.revbench.core.nn.ForwardContext;
import org.revbench.core.nn.Layer;
import org.revbench.core.nn.Parameter;
import org.revbench.core.nn.StatisticsRecorder;

/**
 * A network that is also a layer tree whose inference forward takes a {@link ForwardContext}: its static and workload
 * probes ({@link #profile()}, {@link #activity(NDArray)}) are one evaluation forward with a recorder, and its input
 * check compares against {@link #input()} at {@link ModelOptions#timesteps()}, before {@link #predict} (the forward in
 * evaluation mode, recording off) and {@link #forwardTrain} (the network's {@link #trainingPass}). Shared by core's
 * {@link SegmentedNetwork} and by models with their own training pass (e.g. a temporal column).
 */
public abstract class LayerNetwork extends Layer implements Network {

    private final String id;
    private final ModelOptions options;
    private final InputSpec input;

    protected LayerNetwork(String id, ModelOptions options, InputSpec input) {
        this.id = id;
        this.options = options;
        this.input = input;
    }

    @Override
    public final String id() { return id; }

    @Override
    public final ModelOptions options() { return options; }

    @Override
    public final InputSpec input() { return input; }

    @Override
    public List<Parameter> parameters() { return allParameters(); }

    /** Inference: the forward in evaluation mode with recording off. */
    @Override
    public final NDArray predict(NDArray x) {
        checkInput(x);
        return Autograd.withRecording(false, () -> forward(x, ForwardContext.eval(options().timesteps())));
    }

    /** Checks the input, then {@link #trainingPass} in training mode. */
    @Override
    public final ForwardPass forwardTrain(NDArray x, boolean inputGradient) {
        checkInput(x);
        return trainingPass(x, inputGradient, ForwardContext.train(options().timesteps()));
    }

    /**
     * The training forward of a checked input in {@code ctx} ({@link ForwardContext.Mode#TRAIN}): the network's own way
     * of keeping what its backward needs (a chain of segment traces, a temporal column's last states).
     */
    protected abstract ForwardPass trainingPass(NDArray x, boolean inputGradient, ForwardContext ctx);

    @Override
    public StatisticsRecorder profile() {
        StatisticsRecorder rec = new StatisticsRecorder();
        ForwardContext ctx = new ForwardContext(ForwardContext.Mode.EVAL, options().timesteps(), rec);
        Shape shape = input().batchShape(1, options().timesteps());
        NDManager m = parameters().get(0).array().getManager();
        try (NDManager sub = m.newSubManager(); NDArray z = sub.zeros(shape, options().dtype())) {
            Autograd.withRecording(false, () -> {
                forward(z, ctx).close();
                return null;
            });
        }
        return rec;
    }

    @Override
    public StatisticsRecorder activity(NDArray x) {
        checkInput(x);
        StatisticsRecorder rec = new StatisticsRecorder(true);
        ForwardContext ctx = new ForwardContext(ForwardContext.Mode.EVAL, options().timesteps(), rec);
        Autograd.withRecording(false, () -> {
            forward(x, ctx).close();
            return null;
        });
        return rec;
    }

    /** Refuses an input that is not {@code [B, ...]} (images) or {@code [T, B, ...]} (events) of this network's input. */
    private void checkInput(NDArray x) {
        Shape s = x.getShape();
        Shape want = input().batchShape((int) (input().events() ? s.get(1) : s.get(0)), options().timesteps());
        if (!s.equals(want)) {
            throw new IllegalArgumentException(id() + " expects input " + want + " (" + input() + ", T=" + options().timesteps()
                    + "), got " + s);
        }
    }
}
