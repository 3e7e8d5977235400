package org.revbench.harness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA build ({@code -Pcuda}) on a machine that gives it no libtorch: the command line without the CPU libtorch
 * jar, offline, with an empty DJL cache and no PYTORCH_LIBRARY_PATH. A GPU or the CPU asked for exits 2 in one line that
 * says no libtorch could be loaded and the two ways of giving one.
 */
class CudaBuildTest {

    @Test
    void withoutAnyLibtorchADeviceIsRefusedInOneLineNamingBothWays(@TempDir Path dir) throws Exception {
        String classPath = String.join(File.pathSeparator, testClassPath().stream()
                .filter(p -> !p.contains("pytorch-native-cpu")).toList());
        for (String device : List.of("cuda", "cpu")) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classPath, "-Dai.djl.offline=true", "-DDJL_CACHE_DIR=" + dir.resolve("djl"),
                    RevBench.class.getName(), "params", "ms-resnet18", "--device", device);
            pb.environment().remove("PYTORCH_LIBRARY_PATH");
            pb.environment().remove("DJL_OFFLINE");
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            List<String> ours = err.lines().filter(l -> l.startsWith("revbench params: ")).toList();
            assertEquals(2, p.exitValue(), err);
            assertEquals(1, ours.size(), err);
            String line = ours.get(0);
            assertTrue(line.contains("no libtorch could be loaded: the CPU one comes with a build without -Pcuda; a CUDA"
                    + " libtorch 2.7.1 from PYTORCH_LIBRARY_PATH") && line.contains("DJL_OFFLINE=false"), line);
            assertTrue(line.startsWith("revbench params: error: no libtorch could be loaded"), line);
            assertTrue(!err.contains("\tat "), "no stack trace:\n" + err);
        }
    }

    /** The test JVM's class path, read through surefire's manifest-only jar where it uses one. */
    static List<String> testClassPath() throws IOException {
        List<String> entries = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (e.endsWith(".jar") && Path.of(e).getFileName().toString().startsWith("surefirebooter")) {
                try (JarFile jar = new JarFile(e)) {
                    String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    for (String url : cp.trim().split("\\s+")) {
                        entries.add(Path.of(java.net.URI.create(url)).toString());
                    }
                }
            } else {
                entries.add(e);
            }
        }
        return entries;
    }
}
