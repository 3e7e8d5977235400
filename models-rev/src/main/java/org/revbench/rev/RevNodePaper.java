package org.revbench.rev;

import java.util.List;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperProvider;

/**
 * The reversible neuron node paper as the harness and the reports find it: its specs ({@code specs/revnode/}) and its reference values, claims,
 * notes and discrepancies ({@code references/revnode.yaml}), all in this module's resources.
 */
public final class RevNodePaper implements PaperProvider {

    @Override
    public Paper paper() {
        return new Paper("revnode", "the reversible neuron node",
                "Towards Zero Memory Footprint Spiking Neural Network Training (Lei et al.): the reversible spiking neuron node",
                List.of("figure1", "table1", "figure4", "figure5", "figure6", "invertibility", "inverse-study", "trajectory"));
    }
}
