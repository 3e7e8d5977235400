package org.revbench.harness.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.Blackhole;
import org.revbench.core.engine.Engines;
import org.revbench.core.memory.MemoryResult;
import org.revbench.core.memory.PeakMemoryProbe;
import org.revbench.core.memory.TrainingStepWorkload;
import org.revbench.harness.bench.InferenceBenchmark;
import org.revbench.harness.bench.TrainingStepBenchmark;

/**
 * The device flows from the command to the protocol, the model and the data loader, and nothing computes anywhere
 * else. On this CPU-only machine a {@link DeviceCheck} makes the engine's default device a GPU that libtorch cannot
 * compute on, so that an array made on an implicit device fails at once, and lists every array the work makes: a
 * training step of the train protocol (model, data loader, optimizer, evaluation), the memory protocol's workload in
 * the peak-memory probe's own process, and the latency protocol's JMH workloads must run to the end with every array in
 * a manager of the chosen device. The device also reaches what runs in other processes: the probe's and JMH's
 * arguments name it.
 */
class DeviceFlowTest {

    static final Device CPU = Device.cpu();

    /** A training of 1 epoch of 3 steps and an evaluation, on synthetic event frames (the train protocol's test spec). */
    static final String TRAIN_SPEC = TrainProtocolTest.SPEC.replace("epochs: 2", "epochs: 1")
            .replace("  target_top1: 1.0\n", "");

    @Test
    void anArrayOnAnImplicitDeviceFailsInsideTheCheck() {
        try (DeviceCheck check = DeviceCheck.open(); NDManager implicit = NDManager.newBaseManager()) {
            assertEquals(DeviceCheck.POISON, implicit.getDevice());
            assertThrows(EngineException.class, () -> implicit.ones(new Shape(2)));
        }
        try (NDManager m = Engines.newManager(CPU); NDManager implicit = NDManager.newBaseManager()) {
            assertEquals(2, m.ones(new Shape(2)).getShape().get(0)); // and the check leaves the engine as it was
            assertEquals(Engines.start().defaultDevice(), implicit.getDevice());
        }
    }

    @Test
    void theTrainProtocolsStepsAndEvaluationComputeOnTheContextsDeviceOnly(@TempDir Path dir) throws Exception {
        ProtocolContext c = TrainProtocolTest.context(TRAIN_SPEC, dir, new StringWriter());
        assertEquals(CPU, c.device());
        List<String> strays;
        int arrays;
        try (DeviceCheck check = DeviceCheck.open()) {
            var ms = new TrainProtocol().measure(c);
            assertTrue(ms.stream().anyMatch(m -> m.metric().equals("top1")), ms.toString());
            strays = check.strays(c.device());
            arrays = check.arrays();
        }
        assertEquals(List.of(), strays);
        assertTrue(arrays > 1000, "the check saw only " + arrays + " arrays");
        assertTrue(c.provenance().withDevice(c.device()).toMap().get("device").equals("cpu"));
    }

    @Test
    void theMemoryWorkloadComputesOnTheDeviceItsProbeArgumentsName() {
        List<String> args = TrainingStepWorkload.args("ms-resnet18", 2, 2, 10, true, CPU);
        assertTrue(args.contains("device=cpu"), args.toString());
        assertTrue(TrainingStepWorkload.args("ms-resnet18", 2, 2, 10, true, Device.gpu(1)).contains("device=cuda:1"));
        MemoryResult r = new PeakMemoryProbe().measure(DeviceCheckedWorkload.class, 1, 1, args);
        assertTrue(r.available(), String.valueOf(r.reason()));
        assertEquals(List.of(), r.details().get("strays"));
        assertTrue(((Number) r.details().get("arrays_checked")).intValue() > 500, r.details().toString());
        assertEquals("cpu", r.details().get("device"));
        assertEquals("host", r.details().get(PeakMemoryProbe.COUNTER_DETAIL));
    }

    @Test
    void theLatencyWorkloadsComputeOnTheDeviceTheirBenchmarkParameterNames(@TempDir Path dir) throws Exception {
        // what the latency protocol hands its JMH forks: the context's device as the benchmarks' parameter
        ProtocolContext c = TrainProtocolTest.context(TrainProtocolTest.SPEC, dir, new StringWriter());
        ProtocolContext onGpu = new ProtocolContext(c.spec(), c.row(), c.scale(), c.settings(), c.model(),
                c.provenance().withDevice(Device.gpu(0)), c.log(), c.workDir());
        assertEquals(List.of("cuda:0"), params(onGpu));
        assertEquals(List.of("cpu"), params(c));

        Engines.setIntraOpThreads(Engines.threads()); // the count a fork checks it runs (BenchmarkFork)
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        try (DeviceCheck check = DeviceCheck.open()) {
            InferenceBenchmark inference = new InferenceBenchmark();
            inference.model = "ms-resnet18";
            inference.batch = 1;
            inference.timesteps = 1;
            inference.device = "cpu";
            inference.setUp();
            inference.inference(bh);
            inference.tearDown();
            TrainingStepBenchmark step = new TrainingStepBenchmark();
            step.model = "ms-resnet18";
            step.batch = 1;
            step.timesteps = 1;
            step.device = "cpu";
            step.classes = 10;
            step.memorySaving = true;
            step.setUp();
            step.trainingStep(bh);
            step.tearDown();
            assertEquals(List.of(), check.strays(CPU));
            assertTrue(check.arrays() > 200, "the check saw only " + check.arrays() + " arrays");
        }
    }

    private static List<String> params(ProtocolContext c) {
        return new ArrayList<>(LatencyProtocol.options(c, TrainingStepBenchmark.class, Map.of(), 1).build()
                .getParameter("device").get());
    }

    /**
     * No main source picks a device on its own: the engine's default device, a manager without one and moving arrays
     * between devices appear nowhere; a device is named only where a command, spec or environment variable is read
     * ({@code Devices}), where a manager is made for one ({@code Engines}), and as the CPU a PyTorch-twin comparison and
     * the defaults of the CPU's own paths state.
     */
    @Test
    void noMainSourceChoosesADeviceImplicitly() throws IOException {
        Pattern implicit = Pattern.compile("defaultDevice\\(|newBaseManager\\(|\\.toDevice\\(|Device\\.gpu\\(|Device\\.of\\(");
        List<String> found = new ArrayList<>();
        Path root = Path.of("..").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(root, 12)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java") && p.toString().contains("/src/main/java/"))
                    .toList()) {
                String name = f.getFileName().toString();
                if (name.equals("Devices.java") || name.equals("Engines.java")) {
                    continue;
                }
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (implicit.matcher(lines.get(i)).find()) {
                        found.add(root.relativize(f) + ":" + (i + 1) + ": " + lines.get(i).strip());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
