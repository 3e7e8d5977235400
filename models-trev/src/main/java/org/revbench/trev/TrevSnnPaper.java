package org.revbench.trev;

import java.util.List;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperProvider;

/**
 * T-RevSNN as the harness and the reports find it: its specs ({@code specs/trevsnn/}) and its reference values, claims,
 * notes and discrepancies ({@code references/trevsnn.yaml}), all in this module's resources.
 */
public final class TrevSnnPaper implements PaperProvider {

    @Override
    public Paper paper() {
        return new Paper("trevsnn", "T-RevSNN",
                "High-Performance Temporal Reversible SNNs with O(L) Training Memory and O(1) Inference Cost (Hu et al., ICML 2024), T-RevSNN",
                List.of("figure2", "table2", "table3", "table4", "table5", "table6", "training-split", "inference", "trajectory"));
    }
}
