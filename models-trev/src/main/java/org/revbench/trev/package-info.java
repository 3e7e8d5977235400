/**
 * T-RevSNN, the temporal reversible spiking network of T-RevSNN ("High-Performance Temporal Reversible Spiking Neural
 * Networks with O(L) Training Memory and O(1) Inference Cost"), with its memory-saving temporal reversible backward.
 * Paper id {@code trevsnn} ({@link org.revbench.trev.TrevSnnPaper}); the module holds its specs ({@code specs/trevsnn/})
 * and reference values ({@code references/trevsnn.yaml}). Depends only on {@code core}. The public code
 * (BICLab/T-RevSNN, itself built on RevCol) was read to settle what the paper leaves open; nothing is copied from it. Where code and paper disagree, the paper's method is the default
 * and the code's behaviour an option where it changes a reported number.
 *
 * <h2>Definitions</h2>
 * <ul>
 *   <li><b>Turn-off spiking neurons</b> ({@link org.revbench.trev.TurnOffSpike}, Eq. 6-8): stateless,
 *       {@code floor(clamp(x, 0, 1) + 0.5)}, straight-through gradient inside [0, 1] (ends included). Every neuron
 *       inside the blocks, the resamplings and the last head is one.</li>
 *   <li><b>Turn-on neurons and temporal reversible transfer</b> ({@link org.revbench.trev.TurnOnTransfer}, Eq. 9-11):
 *       one per stage end, carrying the stage state {@code c_l} over time,
 *       {@code c_l[t] = L_l(c_{l-1}[t], c_{l+1}[t-1]) + a_l * c_l[t-1]}; inverse
 *       {@code c_l[t-1] = (c_l[t] - L_l(...)) / a_l}, undone from stage 3 down to stage 0. {@code a_l} is the decay
 *       {@code 1 - 1/tau} of Eq. 1/9 made a trainable per-channel parameter (init 0.5, i.e. tau = 2), kept at
 *       {@code |a_l| >= 1e-3} before every forward (an exact 0 goes to +1e-3; the public code would keep it 0 and
 *       divide by it). The {@code 1/tau} factor of the input is absorbed into {@code L_l}'s weights. The state is
 *       never reset and is spiked by its consumers.</li>
 *   <li><b>Multi-level form</b> (Eq. 10-11, {@link org.revbench.trev.StageLevel}): only the next stage's previous
 *       state enters (Sec. 4.2: "we only build high-level feature incorporation between stages"; Sec. 5: "we fuse the
 *       features of the next stage into the current stage"), through up/down sampling: stage 0 takes the stem output
 *       unchanged plus an up-sampling (spike, 1x1 conv, BN, nearest x2) of stage 1; stage 1 a down-sampling (spike,
 *       3x3 stride-2 conv, BN) of stage 0 plus an up-sampling of stage 2; stage 2 a down-sampling of stage 1 plus a
 *       1x1 resampling (spike, 1x1 conv, BN) of stage 3; stage 3 a 1x1 resampling of stage 2 (stages 2 and 3 share a
 *       resolution: 56/28/14/14 at 224). These BatchNorms are the only ones in the network. Eq. 11 as printed is
 *       garbled (the decay multiplies the input term); the inverse here is the exact inverse of the update.</li>
 *   <li><b>Sub-networks per time step</b> ({@link org.revbench.trev.TimeStepSubnet},
 *       {@link org.revbench.trev.TemporalReversibleColumn}): each step has its own weights (Eq. 8, "we disable weight
 *       reuse ... in the temporal dimension"), except the second block's last two convolutions, shared by all steps
 *       per stage ({@link org.revbench.trev.BlockTail}; public code's {@code *_reuse}). The first step starts from
 *       zero states and has no up-sampling layers at all (public code's {@code first_col}); its {@code a_l} exist but
 *       multiply zero and get no gradient.</li>
 *   <li><b>Block</b> ({@link org.revbench.trev.TrevBlock}, Sec. 4.3, Fig. 4): {@code x + gamma * (spike -> dw kxk ->
 *       WS 1x1 C->4C -> spike -> WS 1x1 4C->C -> dw kxk)}; two per stage. No BatchNorm. The second block of a stage
 *       has no {@code gamma} (public code; its parameter count needs exactly that).</li>
 *   <li><b>Scaled weight standardisation</b> ({@link org.revbench.trev.WeightStandardizedConv}, timm's
 *       {@code ScaledStdConv2d}): {@code gain * (W - mean) / sqrt(var + 1e-6) * fan_in^-0.5}, biased variance per
 *       output channel; trainable weight, bias and gain. Used by the stem, the point-wise convolutions and the heads;
 *       the depth-wise and resampling convolutions are plain, as in the public code.</li>
 *   <li><b>Encoding</b> ({@link org.revbench.trev.TrevStem}): images are encoded once (WS 7x7 s2, WS 3x3 s2; the
 *       public code's {@code leaky_relu} between them has slope 1, the identity) and every step's sub-network gets the
 *       same encoding; event input {@code [T, B, 2, H, W]} gets one stem (WS 3x3 s1) per step, frame t to step t.
 *       The appendix's "divide it into equal parts according to the number of timesteps" is read as the parameters
 *       being divided into T sub-networks (Sec. 5 "Timestep"), which is what the public code does.</li>
 *   <li><b>Heads</b> ({@link org.revbench.trev.TrevHead}): the last step's head (spike, global average pool, WS 1x1
 *       C3->K, identity, WS 1x1 K->K) predicts. The static models also have the public code's three intermediate heads
 *       (pool, WS 1x1) at steps {@code T/4-1, 2T/4-1, 3T/4-1} ({@link org.revbench.trev.TrevSpec#headSteps}); the event
 *       model has none and feeds its head {@code c_3 / T}, as the public code does.</li>
 *   <li><b>Loss</b> ({@link org.revbench.trev.TrevLoss}, option {@code loss}): {@code last-step} (default, the paper:
 *       "we only use the information from the last timestep") or {@code weighted-steps} (the public code's
 *       {@code sum_i CE_i (i+1)/n + CE_last}). Core's {@link org.revbench.core.model.ForwardPass#trainingLoss} lets the
 *       training pass apply it to whatever per-head loss the protocol uses (label smoothing, mixup targets); accuracy
 *       and {@code predict} use the last head. The public code's event training calls {@code TET_loss} on a
 *       {@code [B, K]} tensor as if it were {@code [T, B, K]} (and its {@code build.py} passes arguments its model
 *       functions do not take), so it is not followed; the event model uses the same two options (with one head,
 *       {@code weighted-steps} is {@code 2 CE}).</li>
 * </ul>
 *
 * <h2>Memory-saving training (Sec. 4.2, "we only need to store V[T]")</h2>
 * With memory saving on (the default; {@link org.revbench.core.model.Network#setMemorySaving}), the training forward
 * runs with recording off and keeps the stem output(s) (each step's input, which the inverse needs), the last step's
 * four stage states and the supervised heads' logits as leaves. Backward back-propagates the loss into the leaves,
 * then walks the steps from last to first ({@link org.revbench.trev.TemporalReversibleColumn#reverse}): the step's
 * head is recomputed on its state, then per stage, deepest first, {@code L_l} is recomputed once with recording on
 * (BatchNorm in {@link org.revbench.core.nn.ForwardContext.Mode#RECOMPUTE}), the previous state is reconstructed from
 * it, and the stage's gradient is back-propagated through {@code L_l + a_l * c_l[t-1]}, as the public code's
 * {@code ReverseFunction.backward} does per column. Last, the stem is recomputed from the input and back-propagated,
 * as core's {@link org.revbench.core.reversible.PreludedStage} does; the public code keeps the stem's graph instead,
 * so its peak includes the stem's activations. Option {@code states}: {@code last-step} (default, the paper) or
 * {@code every-step} (the public code's memory: its {@code ReverseFunction} saves every column's states, so each
 * step's backward starts from stored states; {@link org.revbench.trev.StateKeeping}). With memory saving off
 * everything is recorded by plain autograd (the public code has no such path: its {@code _forward_nonreverse} is
 * missing); the tests hold the two to 1e-9 relative in float64 (measured: at most about 1e-15).
 *
 * <p>Measured by core's allocation probe on a small configuration (widths 16/32/64/96, T 4, 3x64x64, batch 4,
 * float32, a whole SGD step): 3.90 MiB/img with {@code last-step}, 3.97 with {@code every-step}, 9.78 with plain
 * autograd. Reconstruction of the earlier states from the last: relative error about 1e-15 in float64 and 1e-6 in
 * float32 at T = 4 (each step divides by {@code a_l}, so errors grow with T by up to {@code 1/|a_l|} per step).
 *
 * <p>Not a {@link org.revbench.core.model.SegmentedNetwork}: four carried states and heads at several steps do not
 * fit a chain of single-input segments, so the harness's invertibility audit (which walks segments) does not apply;
 * {@link org.revbench.core.reversible.GradientCheck}, the training step, the memory and timing probes do.
 *
 * <h2>Models, parameter counts</h2>
 * {@link org.revbench.trev.TrevModels}: {@code trevsnn-tiny} (64/128/256/384, kernel 3, T 4, 3x224x224, 1000
 * classes: 17,203,856 trainable parameters), {@code trevsnn-small} (96/192/384/512, kernel 5: 32,331,312, the count
 * the public training log prints), {@code trevsnn-tiny-dvs} (32/64/128/256, kernel 3, T 8, 2x128x128 events, 10
 * classes: 10,220,364). All three equal the public code's counts (shared tails counted once; BatchNorm running
 * statistics are buffers). The paper's Table 2 prints 15.2M and 29.8M: both are reproduced by counting for inference
 * with a 5x5 depth-wise kernel (Sec. 4.3 says 5x5) and leaving out the intermediate heads and the last head's second
 * {@code K x K} convolution (which composes with the first after the identity activation): 15,216,912 and 29,787,312.
 * That is a reconstruction that fits both rows, not something the paper states.
 *
 * <h2>Other block structures (T-RevSNN Table 6)</h2>
 * {@link org.revbench.trev.StageBlocks} says what fills a stage: T-RevSNN's two ConvNeXt-style blocks (the default), or
 * MS-ResNet's basic blocks ({@link org.revbench.trev.MembraneShortcutBlock}: two bias-free 3x3 convolutions with
 * BatchNorm, turn-off neurons, membrane shortcut) at MS-ResNet's resolutions, where stage 3 is half stage 2's (its
 * fusion down-samples by 2 and stage 2's up-sampling from it enlarges by 2). {@code trevsnn-ms-resnet34} is the latter
 * with MS-ResNet-34's stages (3/4/6/3 blocks, widths 64/128/256/512): every time step has its own weights, as Eq. 8
 * has it for T-RevSNN, so at T 4 it holds 100,425,872 parameters, about four MS-ResNet-34s. The paper does not say
 * whether its "+ T-RevSNN" rows keep per-step weights; this is our reading. The BatchNorms inside the blocks are
 * recomputed in the backward as the resampling's are. Options {@code block} and {@code depths}.
 *
 * <p>Or S-RevSNN's spatially reversible blocks (ParaRevSNN Eq. 7-8): {@code trevsnn-s-revsnn37} fills each step's stages
 * with RevSResNet37's sequential couplings (1/2/3/2, widths 128/256/512/896 split in halves, F and G turn-off spike,
 * conv3x3, BN twice), at MS-ResNet's resolutions: 120,553,936 parameters at T 4. Each stage is core's
 * {@code ReversibleStage}, and {@link org.revbench.trev.StageLevel#recompute} trains it as a segment, so in the temporal
 * backward a stage's recompute runs its couplings forward without a graph and back-propagates them one at a time,
 * reconstructing each coupling's input from its output (the spatial reversibility nested in the temporal one; Table 6:
 * "temporal and spatial reversibility are orthogonal"). Option {@code spatial_backward=autograd} (model
 * {@code trevsnn-s-revsnn37-temporal-only}) recomputes the couplings with a graph instead: the ablation.
 *
 * <h2>Other choices</h2>
 * <ul>
 *   <li>Initialisation as the public code: convolution weights from a normal with std 0.02 (truncated at +-2),
 *       biases 0, gains 1, BatchNorm 1/0, {@code a_l} 0.5, {@code gamma} 1 (option {@code gamma_init}: the paper
 *       cites ReZero, which starts at 0, but gives no value). With this init the depth-wise kernels are so small that
 *       the blocks' hidden spikes stay silent at first on the small test configurations (each block starts as the
 *       identity); the gradient tests widen them so every path is exercised.</li>
 *   <li>Evaluation uses the training spike ({@code floor(x + 0.5)}); the public code's {@code round_()} differs only
 *       on inputs of exactly 0.5.</li>
 *   <li>Head schedule for T other than a multiple of 4 (the public code supports none): every step for T &lt; 4; else
 *       steps {@code k-1, 2k-1, 3k-1, T-1} with {@code k = T/4}.</li>
 *   <li>The stem output's sides must be multiples of 4 (the up-sampling must meet the finer stage), e.g. 224, 32 or
 *       16x16 images, 16 or 128 event frames; other sizes are refused at build time (the public code fails at run
 *       time).</li>
 *   <li>Options ({@link org.revbench.trev.TrevSpec}): {@code widths}, {@code kernel}, {@code intermediate_heads},
 *       {@code gamma_init}, {@code loss}, {@code states}, {@code block}, {@code depths}, {@code spatial_backward}; plus core's {@code input.*}, classes and time steps.</li>
 * </ul>
 */
package org.revbench.trev;
