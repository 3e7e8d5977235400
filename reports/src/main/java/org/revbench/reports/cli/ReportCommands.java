package org.revbench.reports.cli;

import java.util.List;
import org.revbench.harness.cli.CommandExtension;

/** Adds {@code report} and {@code reproduce} to {@code revbench} (registered in META-INF/services). */
public final class ReportCommands implements CommandExtension {

    @Override
    public List<Object> commands() {
        return List.of(new ReportCommand(), new ReproduceCommand());
    }
}
