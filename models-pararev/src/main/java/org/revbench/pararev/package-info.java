/**
 * The ParaRevSNN paper (paper id {@code pararevsnn}, {@link org.revbench.pararev.ParaRevSnnPaper}) with its reversible
 * baseline RevSResNet: residual networks whose stages are reversible couplings of spiking branches, sequential
 * (RevSResNet, ParaRevSNN Eq. 7-8, {@code core}'s {@code SequentialCoupling}) or parallel
 * ({@link org.revbench.pararev.ParallelReversibleStage}, ParaRevSNN Eq. 9-11). {@link org.revbench.pararev.RevResNetSpec}
 * describes a family (CIFAR, ImageNet, DVS), {@link org.revbench.pararev.RevResNets} builds it and
 * {@link org.revbench.pararev.ParaRevModels} registers the models. The MS-ResNet baselines it compares with are
 * shared, in {@code core}'s {@code baseline} package. The module holds the paper's specs ({@code specs/pararevsnn/})
 * and reference values ({@code references/pararevsnn.yaml}). Depends only on {@code core}.
 */
package org.revbench.pararev;
