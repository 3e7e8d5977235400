/**
 * Seed 001's reversible spiking neuron node: {@link org.revbench.rev.ReversibleNeuronNode} (forward Eq. 3-8,
 * {@link org.revbench.rev.NodeEquations}), its inverse ({@link org.revbench.rev.NodeInverse}, Eq. 9-12) and two
 * memory-saving backwards ({@link org.revbench.rev.ForwardRerunBackward}, {@link org.revbench.rev.InverseGradientBackward}),
 * with hyper-parameters in {@link org.revbench.rev.ReversibleNodeSpec}. Depends only on {@code core}.
 *
 * <h2>Numerical properties found while testing (see the module's tests for the numbers)</h2>
 * <ul>
 *   <li>The node's input {@code X} is recovered to rounding at any length (only {@code Y} and a 0/1 step enter it),
 *       except where a rounding error flips a Heaviside step (seen in float32 at T = 8).</li>
 *   <li>The potentials are recovered by dividing by {@code D = (1 - Y)(1 - 1/tau) + alpha} once per step, so the
 *       error of the kept last potential grows by the product of {@code 1/|D|} back through time: about 1e5 at
 *       T = 4 and up to 2e9 at T = 8 on Gaussian inputs with the defaults. Float64 then meets the paper's allclose
 *       (rtol 1e-6, atol 1e-10) up to T = 4 but not at T = 8 (error about 2.5e-8); float32 is usable at T = 4 only.
 *       {@link org.revbench.rev.NodeInverse.Reconstruction#maxAmplification()} reports the factor.</li>
 *   <li>Where {@code |D|} is below a limit (default 1e-6) the inverse throws
 *       {@link org.revbench.rev.IllConditionedInverseException} naming step, group and element.</li>
 * </ul>
 *
 * <h2>How the VGG and ResNet families will plug in (not built yet)</h2>
 * The node is a core {@link org.revbench.core.model.Segment} and {@link org.revbench.core.reversible.Invertible}, so
 * a model is a {@link org.revbench.core.model.SegmentedNetwork} in which every spiking neuron of the baseline is
 * replaced by a {@code ReversibleNeuronNode}: convolution/BN/pool layers between nodes stay ordinary
 * {@link org.revbench.core.model.AutogradSegment}s (or are folded with the node into one segment that recomputes
 * them from the node's reconstructed input, as {@link org.revbench.core.reversible.PreludedStage} does for a
 * stage), {@code SegmentedNetwork.setMemorySaving(false)} switches every node to plain autograd for the reference,
 * and {@link org.revbench.rev.ReversibleNeuronNode#setBackwardMode} picks forward re-run or inverse gradient for the
 * Figure 5 timing. A {@code RevNodeModels implements ModelProvider} listed in
 * {@code META-INF/services/org.revbench.core.model.ModelProvider} (as {@code models-pararev} does) will register the
 * VGG-11/13/16/19 and ResNet-19/34/50/101 variants of Figures 4-5 and the ResNet-18 of Table 1; the group count
 * must divide each node input's last dimension (W for conv maps, the width for linear layers: 144 in the Figure 6
 * ablation).
 */
package org.revbench.rev;
