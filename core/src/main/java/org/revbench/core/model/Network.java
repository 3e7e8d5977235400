package org.revbench.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import org.revbench.core.nn.Parameter;
import org.revbench.core.nn.SeedStream;
import org.revbench.core.nn.StatisticsRecorder;

/**
 * A built, initialised model. Every model, reversible or not, is trained through the same calls:
 * {@link #forwardTrain}, a loss on {@link ForwardPass#logits()}, {@link ForwardPass#backward}, then an
 * optimizer update of {@link #parameters()}; reversible models hide their memory-saving backward behind it.
 */
public interface Network extends AutoCloseable {

    /** The registry id this network was built from. */
    String id();

    ModelOptions options();

    InputSpec input();

    /** Parameters and buffers; trainable ones have {@link Parameter#trainable()}. */
    List<Parameter> parameters();

    /**
     * Training state besides the parameters: the seed streams of layers that draw random seeds per training
     * forward, by layer path, in a fixed order (empty for a network without them). Checkpoints save their positions.
     */
    default Map<String, SeedStream> seedStreams() { return Map.of(); }

    default long trainableParameters() {
        return parameters().stream().filter(Parameter::trainable).mapToLong(Parameter::size).sum();
    }

    /** Inference: evaluation mode, nothing recorded. Returns logits {@code [B, classes]}. */
    NDArray predict(NDArray input);

    /** Training forward in training mode. */
    default ForwardPass forwardTrain(NDArray input) { return forwardTrain(input, false); }

    /** Training forward; with {@code inputGradient} the backward also yields the input's gradient (gradient checks). */
    ForwardPass forwardTrain(NDArray input, boolean inputGradient);

    /** Runs a batch-1 profiling forward and returns one row per compute layer. */
    StatisticsRecorder profile();

    /**
     * An inference forward of a real batch that also records each compute layer's input activity (firing rate,
     * whether it was spikes): the workload half of the static metrics, for synaptic operations and energy.
     */
    StatisticsRecorder activity(NDArray input);

    /**
     * Whether reversible parts use their memory-saving backward (default) or plain autograd. A network without
     * reversible parts ignores this.
     */
    default void setMemorySaving(boolean on) {}

    @Override
    void close();
}
