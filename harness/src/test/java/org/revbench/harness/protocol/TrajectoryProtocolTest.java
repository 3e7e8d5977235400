package org.revbench.harness.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.PrintWriter;
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
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.nn.Parameter;
import org.revbench.harness.Provenance;
import org.revbench.harness.result.Measurement;
import org.revbench.harness.spec.ExperimentSpec;
import org.revbench.harness.spec.Scale;
import org.revbench.harness.spec.SpecLoader;

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
        ExperimentSpec spec = SpecLoader.read(yaml, "trajectory.yaml", m -> true);
        return new ProtocolContext(spec, spec.rows().get(0), Scale.PAPER, spec.rows().get(0).at(Scale.PAPER),
                ModelRegistry.load().get(MODEL), Provenance.collect(11L), new PrintWriter(log, true), work);
    }

    @Test
    void twinsBuiltFromOneSeedStartIdenticalAndTheCheckSeesAChange(@TempDir Path work) {
        ProtocolContext c = context(SPEC, work, new StringWriter());
        ModelOptions o = TrainProtocol.trainingOptions(c, 11, DataType.FLOAT64);
        Engines.start();
        try (NDManager m = Engines.newManager(); Network a = c.model().build(m, o); Network b = c.model().build(m, o)) {
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
                "trajectory_max_relative_weight_divergence_float64", "trajectory_max_loss_difference_float64"), by.keySet());
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
    }
}
