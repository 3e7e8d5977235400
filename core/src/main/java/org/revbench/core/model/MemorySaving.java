package org.revbench.core.model;

/**
 * A segment with a memory-saving backward that can be switched off, leaving plain autograd through the same
 * computation: reversible stages (which reconstruct their inputs) and checkpointed segments (which recompute their
 * activations). {@link SegmentedNetwork#setMemorySaving} switches every such segment without knowing which kind it
 * holds; switched off, the network is the reference its memory-saving backward is tested and measured against.
 */
public interface MemorySaving {

    /** Memory-saving backward (default) or plain autograd through the same computation. */
    void setMemorySaving(boolean on);
}
