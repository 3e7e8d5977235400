package org.revbench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {

    @Test
    void readsTheCpuModel(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("cpuinfo");
        Files.writeString(f, "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nflags\t: x\n");
        assertEquals("AMD EPYC 7B13", Provenance.readCpuModel(f));
        Files.writeString(f, "processor\t: 0\nHardware\t: BCM2835\n");
        assertEquals("BCM2835", Provenance.readCpuModel(f));
        assertEquals(Provenance.UNKNOWN, Provenance.readCpuModel(dir.resolve("missing")));
    }

    @Test
    void collectsEveryField() {
        Map<String, Object> m = Provenance.collect(42L).toMap();
        assertEquals(42L, m.get("seed"));
        String commit = (String) m.get("git_commit");
        assertTrue(commit.equals(Provenance.UNKNOWN) || commit.matches("[0-9a-f]{40,64}"), commit);
        if (!commit.equals(Provenance.UNKNOWN)) {
            assertTrue(m.get("git_dirty") instanceof Boolean, m.toString());
        }
        assertEquals("2.7.1", m.get("libtorch_version"));
        assertTrue(((String) m.get("jdk")).startsWith(System.getProperty("java.version")));
        assertTrue((Integer) m.get("threads") >= 1);
        assertTrue((Integer) m.get("cpus") >= 1);
        String allocator = (String) m.get("allocator");
        assertTrue(allocator.matches("glibc( .+)?|tcmalloc \\(.+\\)|jemalloc \\(.+\\)|other \\(.+\\)|unknown"),
                allocator);
        assertEquals(List.of("git_commit", "git_dirty", "tree_state", "jdk", "jvm", "djl_version", "libtorch_version",
                "os", "cpu_model", "machine_class", "allocator", "cpus", "threads", "seed", "run_id", "timestamp"),
                List.copyOf(m.keySet()));
    }

    @Test
    void fromMapInvertsToMapAlsoFromJsonNumbers() {
        Provenance p = new Provenance("c0ffee", null, "17", "vm", "0.35.1", "2.7.1", "Linux", "cpu", 16, null,
                9_007_199_254_740_993L, "2025-01-01T00:00:00Z");
        assertEquals(p, Provenance.fromMap(p.toMap()));
        assertEquals(null, p.allocator(), "the older constructor knows no allocator");
        Provenance tc = new Provenance("c0ffee", false, Provenance.CLEAN, "17", "vm", "0.35.1", "2.7.1", "Linux", "cpu",
                "x86_64 GenuineIntel avx512", "tcmalloc (libtcmalloc_minimal.so.4.5.10)", 16, 4, null, "run",
                "2025-01-01T00:00:00Z");
        assertEquals(tc, Provenance.fromMap(tc.toMap()));
        assertEquals(tc.allocator(), tc.at("2025-01-02T00:00:00Z").withThreads(2).allocator());
        Map<String, Object> old = new java.util.LinkedHashMap<>(tc.toMap());
        old.remove("allocator"); // a record from before the allocator was kept
        assertEquals(null, Provenance.fromMap(old).allocator());
        Map<String, Object> fromJson = new java.util.LinkedHashMap<>(p.toMap());
        fromJson.put("cpus", 16.0); // JSON readers give doubles
        fromJson.put("threads", 4.0);
        fromJson.put("seed", 42.0);
        Provenance q = Provenance.fromMap(fromJson);
        assertEquals(16, q.cpus());
        assertEquals(4, q.threads());
        assertEquals(42L, q.seed());
        fromJson.put("git_dirty", "yes");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Provenance.fromMap(fromJson));
        assertTrue(e.getMessage().contains("git_dirty"), e.getMessage());
    }

    /** A GPU number's provenance names its device and GPU, and reads back from JSON as it was written. */
    @Test
    void theDeviceAndGpuRoundTripAndScopeTheReuseOfAGpusNumbers() {
        Provenance cpu = new Provenance("a".repeat(40), false, Provenance.CLEAN, "17", "vm", "0.35.1", "2.7.1", "Linux",
                "cpu", "x86_64", "glibc", 2, 2, null, "run", "2026-12-03T10:00:00Z");
        Provenance gpu = new Provenance(cpu.gitCommit(), false, Provenance.CLEAN, "17", "vm", "0.35.1", "2.7.1", "Linux",
                "cpu", "x86_64", "glibc", 2, 2, null, "run", "2026-12-03T10:00:00Z", null, "cuda:1",
                "NVIDIA H200; driver 570.86.15; CUDA 12.8; libtorch 2.7.1 from /opt/torch/lib");
        assertEquals(gpu, Provenance.fromMap(gpu.toMap()));
        assertEquals("cuda:1", gpu.toMap().get("device"));
        assertEquals(ai.djl.Device.gpu(1), gpu.computeDevice());
        assertEquals(ai.djl.Device.cpu(), cpu.computeDevice());
        assertEquals("cpu", cpu.deviceName());
        assertEquals("a".repeat(40) + " on cuda:1", gpu.reuseScope());
        assertEquals("a".repeat(40), cpu.reuseScope());
        assertEquals("cpu", cpu.withDevice(ai.djl.Device.cpu()).device());
        assertEquals(null, cpu.withDevice(ai.djl.Device.cpu()).gpu());
        assertEquals(cpu.reuseScope(), cpu.withDevice(ai.djl.Device.cpu()).reuseScope());
        assertEquals(gpu, gpu.at(gpu.timestamp()).withThreads(2).withAlongside(null));
    }

    @Test
    void aGpusDescriptionNamesItsModelDriverCudaAndLibtorch() {
        assertEquals("NVIDIA H200; driver 570.86.15; CUDA 12.8; libtorch 2.7.1 from /opt/torch/lib",
                Provenance.describeGpu("NVIDIA H200, 570.86.15\n", "128", "libtorch 2.7.1 from /opt/torch/lib"));
        assertEquals("unknown GPU; driver unknown; CUDA unknown; libtorch unknown", Provenance.describeGpu(null, null, null));
        assertEquals("Tesla T4; driver unknown; CUDA 11.8; libtorch 2.7.1", Provenance.describeGpu("Tesla T4", "118",
                "libtorch 2.7.1"));
    }
}
