package org.revbench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class AllocatorTest {

    /** A JVM's maps, shortened: the java binary, anonymous memory, glibc, and the loader. */
    static final String GLIBC = """
            5581c0a00000-5581c0a01000 r-xp 00001000 08:01 1311 /usr/lib/jvm/java-17/bin/java
            7f2a10000000-7f2a14000000 rw-p 00000000 00:00 0
            7f2a1c028000-7f2a1c1bd000 r-xp 00028000 08:01 2233 /usr/lib/x86_64-linux-gnu/libc.so.6
            7f2a1c3f0000-7f2a1c41a000 r-xp 00001000 08:01 2230 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
            7ffd5a1e0000-7ffd5a201000 rw-p 00000000 00:00 0                          [stack]
            """;

    /** The same with tcmalloc preloaded (mapped before libc, as LD_PRELOAD maps it). */
    static final String TCMALLOC = """
            5581c0a00000-5581c0a01000 r-xp 00001000 08:01 1311 /usr/lib/jvm/java-17/bin/java
            7f2a1bf00000-7f2a1bf1c000 r-xp 00004000 08:01 3101 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10
            7f2a1c028000-7f2a1c1bd000 r-xp 00028000 08:01 2233 /usr/lib/x86_64-linux-gnu/libc.so.6
            7f2a1c3f0000-7f2a1c41a000 r-xp 00001000 08:01 2230 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
            """;

    @Test
    void tellsTcmallocFromItsMappingAndGlibcWithItsVersion() {
        assertEquals("tcmalloc (libtcmalloc_minimal.so.4.5.10)", Allocator.of(TCMALLOC, null, "2.36"));
        assertEquals("tcmalloc (libtcmalloc_minimal.so.4.5.10)", Allocator.of(TCMALLOC, 0x7f2a1bf0a123L, "2.36"));
        assertEquals("glibc 2.36", Allocator.of(GLIBC, null, "2.36"));
        assertEquals("glibc 2.36", Allocator.of(GLIBC, 0x7f2a1c0a0000L, "2.36 "));
        assertEquals("glibc", Allocator.of(GLIBC, null, null), "no version where JNA cannot ask");
        String jemalloc = GLIBC.replace("/usr/lib/jvm/java-17/bin/java", "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2");
        assertEquals("jemalloc (libjemalloc.so.2)", Allocator.of(jemalloc, null, "2.36"));
    }

    @Test
    void theLibraryHoldingMallocDecidesWhereItIsKnown() {
        // tcmalloc loaded but not interposed (malloc is glibc's): glibc
        assertEquals("glibc 2.36", Allocator.of(TCMALLOC, 0x7f2a1c030000L, "2.36"));
        String mimalloc = TCMALLOC.replace("libtcmalloc_minimal.so.4.5.10", "libmimalloc.so.2.1");
        assertEquals("other (libmimalloc.so.2.1)", Allocator.of(mimalloc, 0x7f2a1bf00000L, "2.36"));
        // an address in no file: as if unknown
        assertEquals("tcmalloc (libtcmalloc_minimal.so.4.5.10)", Allocator.of(TCMALLOC, 0x10L, "2.36"));
        String deleted = TCMALLOC.replace(".so.4.5.10", ".so.4.5.10 (deleted)");
        assertEquals("tcmalloc (libtcmalloc_minimal.so.4.5.10)", Allocator.of(deleted, 0x7f2a1bf00000L, "2.36"));
    }

    @Test
    void whatCannotBeToldIsUnknown() {
        assertEquals(Provenance.UNKNOWN, Allocator.of("", null, null));
        assertEquals(Provenance.UNKNOWN, Allocator.of("not a maps text\nat all", 1L, "2.36"));
        String musl = GLIBC.replace("libc.so.6", "libc.musl-x86_64.so.1");
        assertEquals(Provenance.UNKNOWN, Allocator.of(musl, null, null));
    }

    @Test
    void thisProcessIsToldOnce() {
        String a = Allocator.detect();
        assertSame(a, Allocator.detect());
        if (System.getProperty("os.name").startsWith("Linux") && System.getenv("LD_PRELOAD") == null) {
            assertEquals(true, a.startsWith("glibc"), a);
        }
    }
}
