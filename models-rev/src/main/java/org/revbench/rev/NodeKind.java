package org.revbench.rev;

/** Which spiking node a VGG/ResNet of {@link RevNodeModels} carries wherever its definition has one. */
public enum NodeKind {
    /**
     * The plain node: SpikingJelly's LIF with decay input ({@code v = v + (x - v)/tau}), tau 2, threshold 1, hard
     * reset to 0 with the reset path detached, the reversible node's surrogate ({@code 1/(1 + pi^2 x^2)}); trained by
     * plain autograd, which keeps what the node's graph needs at every step.
     */
    LIF("lif"),
    /**
     * The same LIF node with SpikingJelly's default reset on the graph ({@code detach_reset=False}): values and
     * spikes are those of {@link #LIF}, but autograd keeps the surrogate's input, {@code 1 - s} and the potential as
     * floats at every step (12 bytes per element in float32 against {@link #LIF}'s 5), and the gradient also flows
     * through the reset. The reversible node paper trains on SpikingJelly and does not name the flag; its Figure 4 plain-node memory
     * (9032 MB for VGG-19 at T 20, batch 128) is 11.6 bytes per node element and step, which is this node's graph.
     */
    SJ_LIF("sjlif"),
    /** the reversible node paper's reversible node ({@link ReversibleNeuronNode}); memory-saving backward unless switched off. */
    REVNODE("revnode"),
    /**
     * No node at all (the identity): not a spiking network, only the memory reference that isolates the nodes'
     * share of peak training memory (the same network holds everything but what its nodes keep).
     */
    IDENTITY("identity");

    private final String tag;

    NodeKind(String tag) { this.tag = tag; }

    /** The id suffix: {@code lif}, {@code sjlif}, {@code revnode}, {@code identity}. */
    public String tag() { return tag; }
}
