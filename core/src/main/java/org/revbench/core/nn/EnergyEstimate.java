package org.revbench.core.nn;

import java.util.List;

/**
 * Synaptic operations and energy of one inference, from the layer activity a measuring forward recorded:
 * {@code E = E_MAC * MACs + E_AC * SOPs}, with Horowitz's 45 nm figures (ISSCC 2014) {@code E_MAC = 4.6 pJ},
 * {@code E_AC = 0.9 pJ}. This is the SNN field's common theoretical estimate, not one paper's: T-RevSNN's appendix B
 * (Eq. 13) applies it and cites Panda et al. 2020, Yin et al. 2021 and others for it, so it lives in core and is
 * recorded for every trained model; only T-RevSNN prints energies to compare it with.
 *
 * <p>As the paper counts: the first compute layer (the encoding convolution on the real-valued input) performs
 * full MACs; every later compute layer performs {@code fr * MACs} accumulates, {@code fr} the share of non-zero
 * elements of its input. Most later inputs are spikes; some are average-pooled spikes (a head's linear layer, a
 * transition's 1x1 convolution), which are not binary: since pooling and those layers are linear and commute,
 * they too can run as accumulates on spikes, as the paper assumes. {@code nonBinaryInputMacs} says how many
 * MACs that concerns, so a reader can see the assumption's weight.
 *
 * @param macs               multiply-accumulates of the first compute layer, per image over all time steps
 * @param sops               synaptic (accumulate) operations of the later layers, per image over all time steps
 * @param energyJoules       {@code 4.6 pJ * macs + 0.9 pJ * sops}
 * @param nonBinaryInputMacs MACs of later layers whose input was not binary (counted as accumulates)
 */
public record EnergyEstimate(double macs, double sops, double energyJoules, double nonBinaryInputMacs) {

    public static final double E_MAC_JOULES = 4.6e-12;
    public static final double E_AC_JOULES = 0.9e-12;

    /** From entries recorded with activity ({@link StatisticsRecorder#StatisticsRecorder(boolean)}), for a batch of one. */
    public static EnergyEstimate of(List<StatisticsRecorder.Entry> entries) {
        double macs = 0;
        double sops = 0;
        double nonBinary = 0;
        boolean first = true;
        for (StatisticsRecorder.Entry e : entries) {
            if (e.macsPerFrame() == 0) {
                continue;
            }
            if (first) {
                macs += e.macsPerImage();
                first = false;
                continue;
            }
            if (e.activity() == null) {
                throw new IllegalArgumentException(e.layer() + " was recorded without its input activity");
            }
            sops += e.activity().nonZeroRate() * e.macsPerImage();
            if (!e.activity().binary()) {
                nonBinary += e.macsPerImage();
            }
        }
        return new EnergyEstimate(macs, sops, E_MAC_JOULES * macs + E_AC_JOULES * sops, nonBinary);
    }

    public double energyMillijoules() { return energyJoules * 1e3; }
}
