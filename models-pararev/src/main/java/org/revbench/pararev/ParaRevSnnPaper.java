package org.revbench.pararev;

import java.util.List;
import org.revbench.core.paper.Paper;
import org.revbench.core.paper.PaperProvider;

/**
 * ParaRevSNN as the harness and the reports find it: its specs ({@code specs/pararevsnn/}) and its reference values, claims,
 * notes and discrepancies ({@code references/pararevsnn.yaml}), all in this module's resources.
 */
public final class ParaRevSnnPaper implements PaperProvider {

    @Override
    public Paper paper() {
        return new Paper("pararevsnn", "ParaRevSNN",
                "ParaRevSNN: A Parallel Reversible Spiking Neural Network for Efficient Training and Inference (Xu et al., 2025), with RevSResNet and MS-ResNet",
                List.of("table2", "table3", "table5", "figure3", "invertibility", "trajectory", "crosscheck"));
    }
}
