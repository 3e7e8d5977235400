package org.revbench.harness.cli;

import org.revbench.core.engine.Devices;
import picocli.CommandLine.Mixin;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;
import org.revbench.harness.bench.BenchmarkFork;
import org.revbench.harness.bench.NodeLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code revbench bench BENCHMARK [-p name=value]...}: runs a JMH benchmark of {@code org.revbench.harness.bench}
 * in forked JVMs and reports the median and spread of its samples. JMH prints its own progress and table; the
 * summary (and {@code --json}) give the median, which is the figure to quote on a noisy 2-core machine.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a JMH benchmark (e.g. TrainingStepBenchmark) and report its median.")
final class BenchCommand extends BaseCommand {

    @Parameters(index = "0", paramLabel = "BENCHMARK", description = "Benchmark class name or regular expression.")
    String benchmark;

    @Option(names = "-p", paramLabel = "NAME=VALUE", description = "A benchmark @Param value (repeatable; comma-separated values run each), "
            + "e.g. -p model=ms-resnet18,revsresnet21 -p batch=8 -p timesteps=4.")
    Map<String, String> params = new LinkedHashMap<>();

    @Mixin
    DeviceOption deviceOption;

    @Option(names = "--forks", description = "Forked JVMs (default: the benchmark's own).")
    Integer forks;

    @Option(names = "--warmup", description = "Warm-up iterations (default: the benchmark's own).")
    Integer warmup;

    @Option(names = "--iterations", description = "Measurement iterations (default: the benchmark's own).")
    Integer iterations;

    @Option(names = "--time", paramLabel = "SECONDS", description = "Seconds per iteration (default: the benchmark's own).")
    Integer seconds;

    /** Benchmark class names from JMH's generated list. */
    static List<String> available() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        try (java.io.InputStream in = BenchCommand.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            if (in != null) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("JMH S \\d+ org\\.revbench\\.harness\\.bench\\.(\\w+) ")
                        .matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (java.io.IOException e) {
            // fall through: an empty list
        }
        return List.copyOf(names);
    }

    @Override
    protected int run() {
        if (!benchmark.contains(".") && !available().contains(benchmark)) {
            throw new CliException(CliException.USAGE, "no benchmark named '" + benchmark + "' (available: "
                    + String.join(", ", available()) + ")");
        }
        ChainedOptionsBuilder b = new OptionsBuilder().include(benchmark.contains(".") ? benchmark
                : "org\\.revbench\\.harness\\.bench\\." + benchmark + "\\.");
        params.forEach((k, v) -> b.param(k, v.split(","))); // -p model=a,b runs both
        if (!params.containsKey("device") && deviceOption.named() != null) {
            b.param("device", Devices.name(device(deviceOption))); // a model benchmark's own @Param
        }
        if (forks != null) {
            b.forks(forks);
        }
        if (warmup != null) {
            b.warmupIterations(warmup);
        }
        if (iterations != null) {
            b.measurementIterations(iterations);
        }
        if (seconds != null) {
            b.warmupTime(TimeValue.seconds(seconds)).measurementTime(TimeValue.seconds(seconds));
        }
        if (common.threads != null) {
            b.jvmArgsAppend(BenchmarkFork.jvmArgs(common.threads)); // replaces the annotations' arguments whole
        }
        Collection<RunResult> results;
        try (NodeLock lock = NodeLock.exclusive(err(), "revbench bench " + benchmark)) {
            results = new Runner(b.build()).run();
        } catch (RunnerException e) {
            throw new CliException(CliException.FAILED, "benchmark failed: " + e.getMessage());
        }
        if (results.isEmpty()) {
            throw new CliException(CliException.FAILED, "benchmark '" + benchmark + "' produced no result: it failed "
                    + "(JMH's output above says why) or nothing matched (available: " + String.join(", ", available()) + ")");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunResult r : results) {
            Statistics s = r.getPrimaryResult().getStatistics();
            String unit = r.getPrimaryResult().getScoreUnit();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("benchmark", r.getParams().getBenchmark());
            Map<String, String> p = new LinkedHashMap<>();
            for (String k : r.getParams().getParamsKeys()) {
                p.put(k, r.getParams().getParam(k));
            }
            row.put("params", p);
            row.put("unit", unit);
            row.put("samples", s.getN());
            row.put("median", s.getPercentile(50));
            row.put("p10", s.getPercentile(10));
            row.put("p90", s.getPercentile(90));
            row.put("mean", s.getMean());
            row.put("min", s.getMin());
            row.put("max", s.getMax());
            rows.add(row);
            out().printf("%s %s: median %.1f %s (p10 %.1f, p90 %.1f, n %d)%n", r.getParams().getBenchmark(), p,
                    s.getPercentile(50), unit, s.getPercentile(10), s.getPercentile(90), s.getN());
        }
        out().flush();
        if (json()) {
            printJson(Map.of("results", rows));
        }
        return 0;
    }
}
