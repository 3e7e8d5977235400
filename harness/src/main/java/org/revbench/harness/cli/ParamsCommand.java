package org.revbench.harness.cli;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.engine.Engines;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.nn.StatisticsRecorder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code revbench params MODEL}: trainable parameters and the static statistics of one model: the
 * multiply-accumulates of every conv and linear layer for one image and one time step, and the totals.
 */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = {"Trainable parameters and multiply-accumulates (MACs) of every conv and linear layer.",
                "MACs/step: one image, one time step; steps: how many time steps the layer runs per image "
                        + "(1 for a stem that runs once on a static image); MACs/image: over all time steps."})
final class ParamsCommand extends BaseCommand {

    @Mixin
    ModelArgument model;

    @Mixin
    ClassesOption classes;

    @Mixin
    TimestepsOption timesteps;

    @Mixin
    DeviceOption deviceOption;

    private ModelOptions options;

    @Override
    protected Long seed() { return options == null ? null : options.seed(); }

    @Override
    protected int run() {
        ModelDefinition def = model.definition();
        options = timesteps.applyTo(this, classes.applyTo(this, def.defaults()));
        startEngine();
        long params;
        StatisticsRecorder rec;
        try (NDManager manager = Engines.newManager(device(deviceOption)); Network net = def.build(manager, options)) {
            params = net.trainableParameters();
            rec = net.profile();
        }
        List<StatisticsRecorder.Entry> layers = rec.entries().stream()
                .filter(e -> e.kind().startsWith("conv") || e.kind().startsWith("linear")).toList();
        long macsPerImage = layers.stream().mapToLong(StatisticsRecorder.Entry::macsPerImage).sum();
        long convMacs = layers.stream().filter(e -> e.kind().startsWith("conv"))
                .mapToLong(StatisticsRecorder.Entry::macsPerImage).sum();
        // a count: rounded (exact unless a stem runs once for all T steps)
        long perStep = Math.round(macsPerImage / (double) options.timesteps());

        printTable(def, params, layers, macsPerImage, perStep);
        if (json()) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StatisticsRecorder.Entry e : layers) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("layer", e.layer());
                r.put("kind", e.kind());
                r.put("output", e.outputPerFrame().toString());
                r.put("params", e.params());
                r.put("macs_per_step", e.macsPerFrame());
                r.put("steps", e.frames());
                r.put("macs_per_image", e.macsPerImage());
                rows.add(r);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", def.id());
            m.put("classes", options.classes());
            m.put("params", params);
            m.put("timesteps", options.timesteps());
            m.put("input", def.input().toString());
            m.put("macs_per_image", macsPerImage);
            m.put("macs_per_image_per_step", perStep);
            m.put("conv_macs_per_image", convMacs);
            m.put("linear_macs_per_image", macsPerImage - convMacs);
            m.put("layers", rows);
            printJson(m);
        }
        return 0;
    }

    private void printTable(ModelDefinition def, long params, List<StatisticsRecorder.Entry> layers,
                            long macsPerImage, long perStep) {
        var out = out();
        out.printf("%s: %s%n", def.id(), def.description());
        out.printf("input %s, %d classes, T %d%n%n", def.input(), options.classes(), options.timesteps());
        int lw = Math.max("layer".length(), layers.stream().mapToInt(e -> e.layer().length()).max().orElse(0));
        int kw = Math.max("kind".length(), layers.stream().mapToInt(e -> e.kind().length()).max().orElse(0));
        int ow = Math.max("output/step".length(),
                layers.stream().mapToInt(e -> e.outputPerFrame().toString().length()).max().orElse(0));
        String row = "%-" + lw + "s  %-" + kw + "s  %-" + ow + "s  %12s  %15s  %5s  %15s%n";
        out.printf(row, "layer", "kind", "output/step", "params", "MACs/step", "steps", "MACs/image");
        out.println("-".repeat(lw + kw + ow + 12 + 15 + 5 + 15 + 12));
        for (StatisticsRecorder.Entry e : layers) {
            out.printf(row, e.layer(), e.kind(), e.outputPerFrame(), group(e.params()), group(e.macsPerFrame()),
                    e.frames(), group(e.macsPerImage()));
        }
        out.println();
        out.printf(Locale.ROOT, "trainable parameters       %,d (%.2f M)%n", params, params / 1e6);
        out.printf(Locale.ROOT, "MACs per image (T = %d)     %,d (%.3f G)%n", options.timesteps(), macsPerImage,
                macsPerImage / 1e9);
        out.printf(Locale.ROOT, "MACs per image and step    %,d (%.3f G)%n", perStep, perStep / 1e9);
        out.flush();
    }

    static String group(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }
}
