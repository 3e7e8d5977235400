package org.revbench.harness.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;
import com.google.gson.reflect.TypeToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch twin ({@code harness/src/main/python/pytorch_twin.py}): MS-ResNet18 written in plain PyTorch, run as a
 * subprocess and read back from the one JSON line it prints. Used by {@code revbench crosscheck pytorch} and by its
 * parity test (docs/architecture.md, Cross-check against PyTorch).
 *
 * <p>The interpreter is {@value #PYTHON_ENV} when set, else the first of {@code python3} on the PATH and
 * {@code /usr/bin/python3} that imports torch (a pyenv {@code python3} first on the PATH may lack Debian's
 * {@code python3-torch}). The script is found under {@code revbench.home} (the {@code revbench} script sets it), else
 * in the checkout above the working directory.
 */
public final class PyTorchTwin {

    /** Names the Python interpreter to run the twin with. */
    public static final String PYTHON_ENV = "REVBENCH_PYTHON";
    /** The twin's script, relative to the repository root. */
    public static final String SCRIPT = "harness/src/main/python/pytorch_twin.py";
    /** The models the twin defines (the script's {@code MODELS}). */
    public static final Set<String> MODELS = Set.of("ms-resnet18");

    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    private static final int TAIL_LINES = 20;

    private static volatile Located located;

    /** The interpreter and script, or why there are none. */
    public record Located(String python, Path script, String reason) {
        public boolean available() { return reason == null; }
    }

    /** A twin run that failed: its exit status and the end of its standard error. */
    public static final class TwinException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TwinException(String message) {
            super(message);
        }
    }

    private PyTorchTwin() {}

    /** Finds (once per JVM) a Python that imports torch, and the script. Never throws. */
    public static Located locate() {
        Located l = located;
        if (l == null) {
            l = find();
            located = l;
        }
        return l;
    }

    private static Located find() {
        Path script = script();
        if (script == null) {
            return new Located(null, null, SCRIPT + " not found (neither under -Drevbench.home nor above "
                    + System.getProperty("user.dir") + ")");
        }
        String named = System.getenv(PYTHON_ENV);
        List<String> candidates = named != null && !named.isBlank() ? List.of(named) : List.of("python3", "/usr/bin/python3");
        List<String> tried = new ArrayList<>();
        for (String python : candidates) {
            String why = importsTorch(python);
            if (why == null) {
                return new Located(python, script, null);
            }
            tried.add(python + ": " + why);
        }
        return new Located(null, script, "no Python with PyTorch (" + String.join("; ", tried) + "); install Debian's"
                + " python3-torch, or name an interpreter in " + PYTHON_ENV);
    }

    /** Null when {@code python} imports torch, else why not. */
    private static String importsTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "import torch timed out";
            }
            if (p.exitValue() == 0) {
                return null;
            }
            List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
            return lines.isEmpty() ? "exit " + p.exitValue() : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "cannot run (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Path script() {
        String home = System.getProperty("revbench.home");
        if (home != null && !home.isBlank() && Files.isRegularFile(Path.of(home, SCRIPT))) {
            return Path.of(home, SCRIPT).toAbsolutePath();
        }
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve(SCRIPT))) {
                return d.resolve(SCRIPT);
            }
        }
        return null;
    }

    /**
     * Runs the twin with {@code args}, its environment this process's plus {@code environment} (a function that may
     * change it, e.g. to preload the allocation counter; null for none), and returns its JSON line as a map (whole
     * numbers as longs). Throws {@link TwinException} with the end of its standard error when it fails.
     */
    public static Map<String, Object> run(List<String> args, java.util.function.Consumer<Map<String, String>> environment,
                                          Duration timeout) {
        Located l = locate();
        if (!l.available()) {
            throw new TwinException(l.reason());
        }
        List<String> command = new ArrayList<>(List.of(l.python(), l.script().toString()));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (environment != null) {
            environment.accept(pb.environment());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new TwinException("cannot start " + l.python() + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> {
                try {
                    p.getErrorStream().transferTo(err);
                } catch (IOException e) {
                    // the process went away; its status says what happened
                }
            }, "pytorch-twin-stderr");
            errReader.setDaemon(true);
            errReader.start();
            byte[] out = readAll(p.getInputStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new TwinException("the PyTorch twin timed out after " + timeout);
            }
            errReader.join(10_000);
            String stdout = new String(out, StandardCharsets.UTF_8);
            String stderr = err.toString(StandardCharsets.UTF_8);
            String line = stdout.lines().filter(s -> s.startsWith("{")).reduce((a, b) -> b).orElse(null);
            if (p.exitValue() != 0 || line == null) {
                throw new TwinException("the PyTorch twin failed (exit " + p.exitValue() + ", command: "
                        + String.join(" ", command) + ")" + tail(stderr));
            }
            try {
                return GSON.fromJson(line, new TypeToken<Map<String, Object>>() {}.getType());
            } catch (JsonParseException e) {
                throw new TwinException("the PyTorch twin printed no JSON object: " + line);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TwinException("interrupted while the PyTorch twin ran");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line of the twin's own error message (it prints one line for bad input), else the end of stderr. */
    private static String tail(String stderr) {
        List<String> lines = stderr.lines().filter(s -> !s.isBlank()).toList();
        if (lines.isEmpty()) {
            return "";
        }
        List<String> own = lines.stream().filter(s -> s.startsWith("pytorch_twin: ")).toList();
        if (!own.isEmpty()) {
            return ": " + own.get(0).substring("pytorch_twin: ".length());
        }
        return ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
