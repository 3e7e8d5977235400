package org.revbench.core.train;

import java.util.Arrays;

/**
 * The learning rate of each (0-based) epoch, as the papers' training scripts set it: the schedule is stepped once per
 * epoch and epoch {@code e} trains at {@code lr(e)} (docs/papers.md, ParaRevSNN training protocols and T-RevSNN
 * training protocols). A schedule is a pure function of the epoch, so a resumed run needs only the epoch number to
 * continue it.
 */
public interface LearningRateSchedule {

    /** The learning rate for epoch {@code epoch} (0-based). */
    double lr(int epoch);

    /** A one-line description with every hyper-parameter, for logs and result records. */
    String describe();

    static LearningRateSchedule constant(double lr) { return new Constant(lr); }

    static LearningRateSchedule step(double lr, int[] milestones, double gamma) {
        return new MultiStep(lr, milestones, gamma);
    }

    static LearningRateSchedule cosine(double lr, int epochs, int warmupEpochs, double warmupFrom, double minLr) {
        return new Cosine(lr, epochs, warmupEpochs, warmupFrom, minLr);
    }

    /** The same rate every epoch. */
    record Constant(double lr) implements LearningRateSchedule {
        @Override
        public double lr(int epoch) {
            checkEpoch(epoch);
            return lr;
        }

        @Override
        public String describe() { return "constant(lr=" + lr + ")"; }
    }

    /**
     * PyTorch {@code MultiStepLR(optimizer, milestones, gamma)} stepped once per epoch: the rate is multiplied by
     * {@code gamma} when epoch {@code e} reaches a milestone, so epoch {@code e} trains at
     * {@code lr * gamma^(number of milestones <= e)} (CIFAR protocol: x0.1 at [100, 150] or [60, 120, 160]).
     * Computed as PyTorch's {@code step()} does, one multiplication per milestone reached
     * ({@code group['lr'] * gamma ** count}), not as {@code lr * gamma^k}, so the doubles are the same as in the
     * scripts (0.1 * 0.1 * 0.1 and 0.1 * 0.1^2 differ in the last bit).
     */
    record MultiStep(double lr, int[] milestones, double gamma) implements LearningRateSchedule {
        public MultiStep {
            milestones = milestones.clone();
            Arrays.sort(milestones); // MultiStepLR keeps a Counter of milestones: their order does not matter
        }

        @Override
        public double lr(int epoch) {
            checkEpoch(epoch);
            double rate = lr;
            int i = 0;
            while (i < milestones.length && milestones[i] <= epoch) {
                int count = 1; // a milestone listed twice applies gamma^2 in one step, as PyTorch's Counter does
                while (i + count < milestones.length && milestones[i + count] == milestones[i]) {
                    count++;
                }
                rate = rate * Math.pow(gamma, count);
                i += count;
            }
            return rate;
        }

        @Override
        public int[] milestones() { return milestones.clone(); }

        @Override
        public String describe() {
            return "step(lr=" + lr + ", milestones=" + Arrays.toString(milestones) + ", gamma=" + gamma + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MultiStep m && m.lr == lr && m.gamma == gamma
                    && Arrays.equals(m.milestones, milestones);
        }

        @Override
        public int hashCode() {
            return 31 * Double.hashCode(lr) + Arrays.hashCode(milestones) + Double.hashCode(gamma);
        }

        @Override
        public String toString() { return describe(); }
    }

    /**
     * timm's {@code CosineLRScheduler(t_initial=epochs, lr_min=minLr, warmup_t=warmupEpochs,
     * warmup_lr_init=warmupFrom, t_in_epochs=True)} stepped per epoch, as the DVS protocol uses it (AdamW 1e-3,
     * 10 warm-up epochs from 1e-5, min 1e-5). From timm/scheduler/cosine_lr.py, {@code _get_lr(t)}:
     * <ul>
     *   <li>{@code t < warmup_t}: {@code warmup_lr_init + t * s} with {@code s = (lr - warmup_lr_init) / warmup_t};
     *   <li>otherwise {@code lr_min + 0.5 * (lr - lr_min) * (1 + cos(pi * t / t_initial))}. With the default
     *       {@code warmup_prefix=False} timm does NOT subtract {@code warmup_t} from {@code t}: the cosine runs over
     *       the whole {@code t_initial} epochs and the warm-up overlays its start;
     *   <li>{@code t >= t_initial} (past the single cycle, {@code cycle_limit=1}): {@code lr_min}.
     * </ul>
     * The arithmetic is evaluated in timm's order so that the doubles agree.
     */
    record Cosine(double lr, int epochs, int warmupEpochs, double warmupFrom, double minLr)
            implements LearningRateSchedule {
        public Cosine {
            if (epochs < 1 || warmupEpochs < 0) {
                throw new IllegalArgumentException("cosine schedule needs epochs >= 1 and warmupEpochs >= 0, got "
                        + epochs + " and " + warmupEpochs);
            }
        }

        @Override
        public double lr(int epoch) {
            checkEpoch(epoch);
            if (epoch < warmupEpochs) {
                double perEpoch = (lr - warmupFrom) / warmupEpochs;
                return warmupFrom + epoch * perEpoch;
            }
            if (epoch >= epochs) {
                return minLr;
            }
            return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * epoch / epochs));
        }

        @Override
        public String describe() {
            return "cosine(lr=" + lr + ", epochs=" + epochs + ", warmupEpochs=" + warmupEpochs + ", warmupFrom="
                    + warmupFrom + ", minLr=" + minLr + ")";
        }
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epochs count from 0, got " + epoch);
        }
    }
}
