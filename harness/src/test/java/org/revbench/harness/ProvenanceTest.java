package org.revbench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
    }
}
