package org.revbench.pararev;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.model.ModelDefinition;
import org.revbench.core.model.ModelOptions;
import org.revbench.core.model.ModelRegistry;
import org.revbench.core.model.Network;
import org.revbench.core.model.SegmentedNetwork;
import org.revbench.core.reversible.InvertibilityAudit;
import org.revbench.core.train.SyntheticBatch;

/** Every registered RevSResNet and ParaRevSNN, at full architecture size, reconstructs to 1e-10 in float64. */
class InvertibilityOfEveryModelTest extends EngineTestBase {

    static Stream<String> reversibleModels() {
        return new ParaRevModels().models().stream().map(ModelDefinition::id);
    }

    @ParameterizedTest
    @MethodSource("reversibleModels")
    void float64ReconstructionErrorIsAtMost1e10(String id) {
        ModelDefinition d = ModelRegistry.load().get(id);
        ModelOptions o = d.defaults().withTimesteps(1).withDtype(DataType.FLOAT64);
        try (NDManager m = manager.newSubManager(); Network n = d.build(m, o);
             SyntheticBatch b = SyntheticBatch.of(m, d.input(), 1, 1, o.classes(), DataType.FLOAT64, 5)) {
            InvertibilityAudit.Result r = InvertibilityAudit.run((SegmentedNetwork) n, b.input());
            assertTrue(r.stages().size() >= 3, id + " has " + r.stages().size() + " reversible stages");
            assertTrue(r.maxAbsError() <= 1e-10, id + ": max abs reconstruction error " + r.maxAbsError());
        }
    }
}
