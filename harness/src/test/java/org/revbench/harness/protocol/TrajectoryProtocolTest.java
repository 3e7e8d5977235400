package org.revbench.harness.protocol;

import ai.djl.Device;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.engine.Engines;
import org.revbench.core.engine.Tensors;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.harness.result.Measurement;

/**
 * The trajectory protocol on a small reversible network (ParaRevSNN's DVS net on 34x34 synthetic frames, T 2,
 * batch 2): its twins start identical, their float64 trajectories agree to round-off, and its measurements carry
 * the loss and divergence curves.
 */
class TrajectoryProtocolTest {

    static final String MODEL = "pararevsnn24-dvs";

    static final String SPEC = """
            paper: test
            table: trajectory
            title: "trajectory"
            defaults:
              dataset: synthetic
              classes: 10
              timesteps: 2
              input_size: 34
              optimizer: {name: sgd, lr: 0.05, momentum: 0.9, weight_decay: 1.0e-4}
              schedule: {name: constant}
              epochs: 1
              batch: 2
              train_limit: 6
              eval_limit: 2
              seeds: [11]
              columns: [trajectory]
              latency: {batch: 1, forks: 1, iterations: 1, seconds: 1}
              trajectory_steps: 5
              trajectory_every: 2
              trajectory_dtypes: [float64]
            rows:
              - {id: r, model: pararevsnn24-dvs}
            """;

    static ProtocolContext context(String yaml, Path work, StringWriter log) {
        return TrainProtocolTest.firstRow(yaml, "trajectory.yaml", MODEL, 11L, work, log);
    }

    @Test
    void twinsBuiltFromOneSeedStartIdenticalAndTheCheckSeesAChange(@TempDir Path work) {
        ProtocolContext c = context(SPEC, work, new StringWriter());
        ModelOptions o = TrainProtocol.trainingOptions(c, 11, DataType.FLOAT64);
        Engines.start();
        try (NDManager m = Engines.newManager(Device.cpu()); Network a = c.model().build(m, o); Network b = c.model().build(m, o)) {
            TrajectoryProtocol.Divergence d = TrajectoryProtocol.divergence(a, b);
            assertEquals(0, d.maxAbs());
            assertEquals(0, d.maxRel());
            assertEquals(0, d.buffersMaxAbs());
            assertTrue(a.parameters().stream().anyMatch(p -> !p.trainable()), "the net has BatchNorm buffers to compare");
            // one weight moved by 1e-3: the check finds it, by name
            int i = 0;
            while (!b.parameters().get(i).trainable()) {
                i++;
            }
            Parameter p = b.parameters().get(i);
            double[] v = Tensors.toDoubles(p.array());
            v[0] += 1e-3;
            p.setValues(v);
            TrajectoryProtocol.Divergence moved = TrajectoryProtocol.divergence(a, b);
            assertEquals(1e-3, moved.maxAbs(), 1e-12);
            assertEquals(p.name() + "#" + i, moved.worst());
        }
    }

    @Test
    void inFloat64TheTwoTrajectoriesAgreeAndTheMeasurementsCarryTheCurves(@TempDir Path work) {
        StringWriter log = new StringWriter();
        List<Measurement> ms = new TrajectoryProtocol().measure(context(SPEC, work, log));
        Map<String, Measurement> by = ms.stream().collect(Collectors.toMap(Measurement::metric, m -> m));
        assertEquals(java.util.Set.of("trajectory_max_weight_divergence_float64",
                "trajectory_max_relative_weight_divergence_float64", "trajectory_max_loss_difference_float64",
                "trajectory_control_max_weight_divergence_float64",
                "trajectory_control_max_relative_weight_divergence_float64",
                "trajectory_control_max_loss_difference_float64"), by.keySet());
        Measurement rel = by.get("trajectory_max_relative_weight_divergence_float64");
        assertTrue(rel.value() < 1e-9, "float64 twins apart by " + rel.value() + " relative\n" + log);
        assertTrue(by.get("trajectory_max_loss_difference_float64").value() < 1e-9, log.toString());
        ms.forEach(m -> assertEquals("trajectory", m.protocol()));

        Map<String, Object> d = rel.details();
        assertEquals("float64", d.get("dtype"));
        assertEquals(5, d.get("steps"));
        List<?> saving = (List<?>) d.get("loss_memory_saving");
        List<?> plain = (List<?>) d.get("loss_autograd");
        assertEquals(5, saving.size());
        assertEquals(5, plain.size());
        saving.forEach(x -> assertTrue(Double.isFinite(((Number) x).doubleValue())));
        // weights compared after steps 2 and 4 and at the end
        assertEquals(List.of(2, 4, 5), d.get("divergence_steps"));
        assertEquals(3, ((List<?>) d.get("weight_divergence")).size());
        assertEquals(3, ((List<?>) d.get("relative_weight_divergence")).size());
        assertEquals(3, ((List<?>) d.get("buffer_divergence")).size());
        assertNull(d.get("first_loss_divergence_step"), "losses apart by more than 1e-6 in float64");
        // the twins did train: the weights moved, so agreement is not the trivial kind
        double first = ((Number) saving.get(0)).doubleValue();
        assertTrue(saving.stream().anyMatch(x -> ((Number) x).doubleValue() != first), saving.toString());
        assertTrue(log.toString().contains("float64: 5 steps"), log.toString());

        // the control twin: plain autograd from weights one ulp off, at the same checks, its own loss curve
        assertEquals(Boolean.TRUE, d.get("control"));
        assertEquals(5, ((List<?>) d.get("loss_control")).size());
        List<?> control = (List<?>) d.get("control_relative_weight_divergence");
        assertEquals(3, control.size());
        control.forEach(x -> assertTrue(((Number) x).doubleValue() > 0, "the control starts apart and stays apart"));
        assertTrue(by.get("trajectory_control_max_relative_weight_divergence_float64").value() < 1e-9,
                "one ulp in float64 stays round-off over 5 steps\n" + log);
    }

    @Test
    void withoutAControlOnlyTheTwinsAreMeasured(@TempDir Path work) {
        String yaml = SPEC.replace("trajectory_dtypes: [float64]", "trajectory_dtypes: [float64]\n  trajectory_control: false")
                .replace("trajectory_steps: 5", "trajectory_steps: 1");
        List<Measurement> ms = new TrajectoryProtocol().measure(context(yaml, work, new StringWriter()));
        assertEquals(3, ms.size());
        ms.forEach(m -> assertTrue(!m.metric().contains("control"), m.metric()));
        assertEquals(Boolean.FALSE, ms.get(0).details().get("control"));
    }

    @Test
    void theNudgeMovesEveryNonZeroTrainableElementByExactlyOneUlpInItsDtype(@TempDir Path work) {
        ProtocolContext c = context(SPEC, work, new StringWriter());
        Engines.start();
        for (DataType dtype : List.of(DataType.FLOAT64, DataType.FLOAT32)) {
            ModelOptions o = TrainProtocol.trainingOptions(c, 11, dtype);
            try (NDManager m = Engines.newManager(Device.cpu()); Network a = c.model().build(m, o); Network b = c.model().build(m, o)) {
                TrajectoryProtocol.nudge(b, dtype);
                int zeros = 0;
                for (int i = 0; i < a.parameters().size(); i++) {
                    Parameter pa = a.parameters().get(i);
                    double[] u = Tensors.toDoubles(pa.array());
                    double[] v = Tensors.toDoubles(b.parameters().get(i).array());
                    for (int j = 0; j < u.length; j++) {
                        double expected = !pa.trainable() || u[j] == 0 ? u[j]
                                : dtype == DataType.FLOAT32 ? Math.nextUp((float) u[j]) : Math.nextUp(u[j]);
                        assertEquals(expected, v[j], 0.0, dtype + " " + pa.name() + "[" + j + "]");
                        zeros += u[j] == 0 ? 1 : 0;
                    }
                }
                assertTrue(zeros > 0, "the net has zero-initialised elements (biases), which the nudge keeps");
            }
        }
    }
}
