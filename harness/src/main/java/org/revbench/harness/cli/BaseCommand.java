package org.revbench.harness.cli;

import ai.djl.Device;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.revbench.core.engine.Engines;
import org.revbench.core.memory.MemoryProbeException;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.train.NonFiniteLossException;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.ResultStoreException;
import org.revbench.harness.spec.RowSettings;
import ai.djl.engine.EngineException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the common options, the error policy and JSON output.
 *
 * <p>Error policy: invalid input (an unknown model, a bad value) exits 2, a failed run exits 1; both print one
 * clear line to stderr and no stack trace. Only an unexpected exception (a bug) prints its stack trace. With
 * {@code --json} an error also prints a JSON object ({@code "error"}, {@code "exit_code"}, provenance) as the
 * last line of stdout, so scripts always find one. Picocli's own parse errors (exit 2 with usage) stay as they
 * are.
 */
abstract class BaseCommand implements Callable<Integer> {

    static final String THREADS_PROPERTY = Engines.THREADS_PROPERTY;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls()
            .serializeSpecialFloatingPointValues().create();

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    private boolean engineStarted;

    /** The device this command computes on, once resolved; null for a command that computes nothing. */
    private Device computeDevice;

    /** The command's work; returns the exit status. */
    protected abstract int run();

    /** The seed reported in the provenance of this command's JSON, or null. */
    protected Long seed() { return null; }

    @Override
    public final Integer call() {
        if (common.threads != null) {
            if (common.threads < 1) {
                throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + common.threads);
            }
            // before Engines.start(): the engine reads it once when it loads
            System.setProperty(THREADS_PROPERTY, Integer.toString(common.threads));
        }
        try {
            return run();
        } catch (CliException e) {
            return fail(e.exitCode(), e.getMessage(), e.fields());
        } catch (ModelRegistry.UnknownModelException e) {
            return fail(CliException.USAGE, e.getMessage(), Map.of());
        } catch (NonFiniteLossException e) {
            return fail(CliException.FAILED, e.getMessage(), Map.of());
        } catch (MemoryProbeException e) {
            return fail(CliException.FAILED, "peak-memory measurement failed: " + e.getMessage(),
                    Map.of("out_of_memory", e.isOutOfMemory()));
        } catch (ResultStoreException e) {
            return fail(e.badInput() ? CliException.USAGE : CliException.FAILED, e.getMessage(), Map.of());
        } catch (EngineException e) {
            if (String.valueOf(e.getMessage()).startsWith(Engines.NO_LIBTORCH)) {
                // a set-up without libtorch (the CUDA build given none): what is missing, and how to give it
                return fail(CliException.USAGE, e.getMessage(), Map.of());
            }
            return fail(CliException.FAILED, engineFailure(e), Map.of("out_of_memory", isOutOfMemory(e)));
        } catch (OutOfMemoryError e) {
            return fail(CliException.FAILED, "out of memory in the Java heap: " + e.getMessage() + "; use a smaller"
                    + " --batch (or a larger -Xmx)", Map.of("out_of_memory", true));
        } catch (ParameterException e) {
            if (json()) { // an invalid option value: the one line and the JSON object, as every other error
                return fail(CliException.USAGE, e.getMessage(), Map.of());
            }
            throw e; // picocli prints a usage error with the usage (exit 2)
        } catch (RuntimeException e) {
            // a bug: one line and the JSON object all the same, and the whole trace in a file to report
            return fail(CliException.FAILED, "internal error: " + e + " (the stack trace is in " + writeTrace(e)
                    + "; please report it)", Map.of());
        }
    }

    /** libtorch's failure in one line: an allocation that failed says so, with what to do. */
    static String engineFailure(EngineException e) {
        String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
        if (isOutOfMemory(e)) {
            return "out of memory: libtorch could not allocate a tensor (" + first + "); use a smaller --batch or fewer"
                    + " --timesteps";
        }
        return "libtorch failed: " + first;
    }

    static boolean isOutOfMemory(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("can't allocate memory") || m.contains("not enough memory") || m.contains("out of memory")
                || m.contains("Cannot allocate memory");
    }

    /** Writes {@code e}'s stack trace under ~/.revbench/logs; returns the file, or "stderr" when it cannot be written. */
    private String writeTrace(Throwable e) {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("user.home"), ".revbench", "logs");
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path f = dir.resolve("error-" + spec.name() + "-" + System.currentTimeMillis() + ".txt");
            java.io.StringWriter w = new java.io.StringWriter();
            e.printStackTrace(new PrintWriter(w));
            java.nio.file.Files.writeString(f, w.toString());
            return f.toString();
        } catch (java.io.IOException | RuntimeException io) {
            e.printStackTrace(err());
            return "stderr";
        }
    }

    private int fail(int exitCode, String message, Map<String, Object> fields) {
        err().println(spec.qualifiedName() + ": error: " + message);
        err().flush();
        if (common.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("command", spec.name());
            m.put("error", message);
            m.put("exit_code", exitCode);
            m.putAll(fields);
            printJson(m);
        }
        return exitCode;
    }

    /** Starts the engine (once per JVM) and applies {@code --threads} even if it was started before. */
    protected void startEngine() {
        if (!engineStarted) {
            Engines.start();
            if (common.threads != null && Engines.intraOpThreads() != common.threads) {
                Engines.setIntraOpThreads(common.threads); // the engine was already running in this JVM
            }
            engineStarted = true;
        }
    }

    /**
     * The device this command computes on ({@link DeviceOption#resolve()}): checked that the engine has it, and named
     * in the provenance of the command's JSON.
     */
    protected Device device(DeviceOption option) {
        return computeDevice = option.resolve();
    }

    /**
     * The device a grid over {@code rows}' settings at its scale is told to use, or null where each task runs where its
     * spec says ({@link DeviceOption#forGrid}).
     */
    protected Device device(DeviceOption option, java.util.Collection<RowSettings> rows, boolean here) {
        return computeDevice = option.forGrid(rows, here);
    }

    /** The provenance of this command's numbers: this run's, on the device it computes on. */
    protected Provenance provenance() {
        Provenance p = Provenance.collect(seed());
        return computeDevice == null ? p : p.withDevice(computeDevice);
    }

    /** The model, or a usage error listing the known ids. */
    protected static ModelDefinition model(String id) {
        return ModelRegistry.load().get(id);
    }

    /** A usage error for option {@code name} (exit 2 with usage). */
    protected ParameterException badOption(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    void requireAtLeast(String option, long value, long min) {
        if (value < min) {
            throw badOption(option + " must be at least " + min + ", got " + value);
        }
    }

    protected PrintWriter out() { return spec.commandLine().getOut(); }

    protected PrintWriter err() { return spec.commandLine().getErr(); }

    protected boolean json() { return common.json; }

    /** Prints {@code fields} plus {@code "provenance"} as one line of JSON to stdout. */
    protected void printJson(Map<String, Object> fields) {
        startEngineQuietly();
        Map<String, Object> m = new LinkedHashMap<>(fields);
        m.put("provenance", provenance().toMap());
        PrintWriter out = out();
        out.println(GSON.toJson(m));
        out.flush();
    }

    private void startEngineQuietly() {
        try {
            startEngine();
        } catch (RuntimeException | LinkageError e) {
            // provenance then says "unknown"
        }
    }

    static String toJson(Object o) { return GSON.toJson(o); }
}
