/**
 * The reversible neuron node paper ("Towards Zero Memory Footprint Spiking Neural Network Training", paper id
 * {@code revnode}, {@link org.revbench.rev.RevNodePaper}): reversibility inside each spiking neuron, where the other
 * two reversible modules make whole blocks reversible ({@code models-pararev}: RevSResNet and ParaRevSNN's residual
 * couplings) or time steps ({@code models-trev}: T-RevSNN). The module holds the paper's models, its specs
 * ({@code specs/revnode/}) and its reference values ({@code references/revnode.yaml}).
 *
 * <p>The reversible spiking neuron node: {@link org.revbench.rev.ReversibleNeuronNode} (forward Eq. 3-8,
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
 *       {@link org.revbench.rev.IllConditionedInverseException} naming step, group and element. In networks that
 *       check is off by default (one element among millions would abort a step); each node then warns once when
 *       {@code |D|} falls below 1e-4 and counts ({@link org.revbench.rev.NodeInverse#illConditionedSteps()}).</li>
 * </ul>
 *
 * <h2>Networks</h2>
 * {@link org.revbench.rev.RevNodeNets} defines the VGG-11/13/16/19 and ResNet-18/19/34/50/101 families (definitions in
 * its javadoc) and {@link org.revbench.rev.RevNodeModels} registers them through
 * {@code META-INF/services/org.revbench.core.model.ModelProvider} with the plain LIF node ({@code -lif}), the reversible
 * node ({@code -revnode}; {@code -revnode-rerun} for the forward-rerun backward of Figure 5 (a)) and no node
 * ({@code -identity}, the memory reference of Figure 4). With the reversible node every node is a segment of its own
 * ({@link org.revbench.rev.NodeUnit}, {@link org.revbench.rev.NodeResidualBlock}) that runs over its input in place
 * ({@link org.revbench.rev.ReversibleNeuronNode#runInPlace}) and back-propagates in place
 * ({@link org.revbench.rev.ReversibleNeuronNode#reverseInPlace}): beyond what the convolutions and BatchNorms keep
 * anyway, a node keeps only its last potential.
 */
package org.revbench.rev;
