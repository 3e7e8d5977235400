package org.revbench.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.revbench.core.engine.Tensors;

/** Tensors survive serialisation bit for bit: NaN payloads, -0.0, 0-d tensors and integer dtypes included. */
class TensorBytesTest extends org.revbench.core.engine.EngineTestBase {

    static byte[] serialise(NDArray x) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            TensorBytes.write(out, x);
        }
        return bytes.toByteArray();
    }

    /** Reads {@code x}'s serialised form back both ways: as a new tensor and copied into {@code target}. */
    static void assertRoundTrip(NDArray x, NDArray target) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialise(x)));
        TensorBytes.Header h = TensorBytes.readHeader(in);
        byte[] data = TensorBytes.readData(in, h);
        assertEquals(x.getShape(), h.shape());
        assertEquals(x.getDataType(), h.dtype());
        try (NDArray copy = TensorBytes.toTensor(manager, h, data)) {
            assertArrayEquals(x.toByteArray(), copy.toByteArray());
        }
        TensorBytes.copyInto(target, h, data);
        assertArrayEquals(x.toByteArray(), target.toByteArray());
    }

    @Test
    void floatBitsIncludingNanPayloadAndNegativeZeroSurvive() throws IOException {
        float[] values = {Float.intBitsToFloat(0x7fc12345), -0.0f, Float.MIN_VALUE, 1.5f, -3e38f, 7f};
        try (NDArray x = Tensors.fromFloats(manager, values, new Shape(2, 3));
             NDArray target = manager.zeros(new Shape(2, 3), DataType.FLOAT32)) {
            assertRoundTrip(x, target);
            assertEquals(0x7fc12345, Float.floatToRawIntBits(target.toFloatArray()[0]));
        }
    }

    @Test
    void zeroDimensionalAndIntegerTensorsSurvive() throws IOException {
        try (NDArray scalar = Tensors.constant(manager, Math.PI, DataType.FLOAT64);
             NDArray target = Tensors.constant(manager, 0, DataType.FLOAT64);
             NDArray counts = Tensors.fromLongs(manager, new long[] {Long.MIN_VALUE, -1, 42}, new Shape(3));
             NDArray countsTarget = manager.zeros(new Shape(3), DataType.INT64)) {
            assertRoundTrip(scalar, target);
            assertEquals(Math.PI, target.toDoubleArray()[0]);
            assertRoundTrip(counts, countsTarget);
        }
    }
}
