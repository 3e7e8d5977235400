package org.revbench.harness.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelRegistry;
import picocli.CommandLine.Command;

/** {@code revbench models}: the registered models, one per line. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the registered models: id, description and paper, one per line.")
final class ModelsCommand extends BaseCommand {

    @Override
    protected int run() {
        List<ModelDefinition> all = ModelRegistry.load().all();
        int width = all.stream().mapToInt(d -> d.id().length()).max().orElse(0);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ModelDefinition d : all) {
            out().printf("%-" + width + "s  %s  [paper: %s]%n", d.id(), d.description(), d.paper());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("paper", d.paper());
            m.put("description", d.description());
            m.put("input", d.input().toString());
            m.put("classes", d.defaults().classes());
            m.put("timesteps", d.defaults().timesteps());
            rows.add(m);
        }
        out().flush();
        if (json()) {
            printJson(Map.of("models", rows));
        }
        return 0;
    }
}
