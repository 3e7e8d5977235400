package org.revbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.EngineTestBase;
import org.revbench.core.nn.Parameter;

/** Optimizer state written and read back is bit-identical, and a mismatch is refused with a clear message. */
class OptimizerStateTest extends EngineTestBase {

    static byte[] state(Optimizer optimizer, List<Parameter> parameters) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            optimizer.writeState(out, parameters);
        }
        return bytes.toByteArray();
    }

    static void restore(Optimizer optimizer, List<Parameter> parameters, byte[] state) throws IOException {
        optimizer.readState(new DataInputStream(new ByteArrayInputStream(state)), parameters);
    }

    /** Two steps on one set of parameters, state restored into a fresh optimizer over other parameters. */
    static void roundTrip(Supplier<Optimizer> make, DataType dtype) throws IOException {
        try (TinyParameters a = new TinyParameters(manager, dtype, 3, 2, 1);
             TinyParameters b = new TinyParameters(manager, dtype, 3, 2, 2);
             Optimizer trained = make.get(); Optimizer fresh = make.get()) {
            a.step(trained, 0, 0.1);
            a.step(trained, 1, 0.05);
            byte[] saved = state(trained, a.parameters);
            restore(fresh, b.parameters, saved);
            assertArrayEquals(saved, state(fresh, b.parameters), "restored state re-serialises to the same bytes");
            // and it acts the same: one more identical step from identical parameters moves them identically
            TinyParameters.copyValues(a.parameters, b.parameters);
            a.step(trained, 2, 0.05);
            b.step(fresh, 2, 0.05);
            List<byte[]> after = TinyParameters.bytes(a.parameters);
            List<byte[]> resumed = TinyParameters.bytes(b.parameters);
            for (int i = 0; i < after.size(); i++) {
                assertArrayEquals(after.get(i), resumed.get(i), "parameter " + i);
            }
        }
    }

    @Test
    void sgdMomentumBuffersRoundTripBitExactlyIncludingMissingOnes() throws IOException {
        roundTrip(() -> new Sgd(0.9, 1e-4), DataType.FLOAT64);
    }

    @Test
    void adamWMomentsAndStepCountRoundTripBitExactly() throws IOException {
        roundTrip(() -> Adam.adamW(0.01), DataType.FLOAT32);
    }

    @Test
    void lambMomentsAndStepCountRoundTripBitExactly() throws IOException {
        roundTrip(() -> Lamb.timm(0.01), DataType.FLOAT32);
    }

    @Test
    void aBufferOfTheWrongShapeIsRefusedAndTheCurrentStateKept() throws IOException {
        try (TinyParameters small = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 1);
             TinyParameters wide = new TinyParameters(manager, DataType.FLOAT32, 4, 2, 1);
             Sgd saved = new Sgd(0.9, 0); Sgd target = new Sgd(0.9, 0)) {
            small.step(saved, 0, 0.1);
            wide.step(target, 0, 0.1);
            byte[] before = state(target, wide.parameters);
            IOException e = assertThrows(IOException.class,
                    () -> restore(target, wide.parameters, state(saved, small.parameters)));
            assertEquals("optimizer state: momentum buffer of parameter 0 'weight' was saved as (2, 3) float32, "
                    + "the parameter is (2, 4) float32", e.getMessage());
            assertArrayEquals(before, state(target, wide.parameters));
        }
    }

    @Test
    void stateOfAnotherOptimizerKindIsRefused() throws IOException {
        try (TinyParameters p = new TinyParameters(manager, DataType.FLOAT32, 3, 2, 1);
             Sgd sgd = new Sgd(0.9, 0); Adam adam = Adam.adamW(0)) {
            byte[] sgdState = state(sgd, p.parameters);
            IOException e = assertThrows(IOException.class, () -> restore(adam, p.parameters, sgdState));
            assertEquals("optimizer state was saved by 'sgd', cannot restore it into 'adam'", e.getMessage());
        }
    }
}
