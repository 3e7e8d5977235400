package org.revbench.harness.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store on the embedded default database, H2, in files under a temporary directory. */
class H2ResultStoreTest extends ResultStoreContract {

    @Override
    ResultStore openStore() {
        return ResultStore.open("jdbc:h2:file:" + tmp.resolve("db").resolve("results"), null, null);
    }

    @Override
    ResultStore openOtherStore() {
        return ResultStore.open("jdbc:h2:file:" + tmp.resolve("other").resolve("results"), null, null);
    }

    @Test
    void theDefaultStoreLivesUnderTheHomeDirectory() {
        String url = ResultStore.defaultUrl(tmp);
        assertTrue(Files.isDirectory(tmp.resolve(".revbench").resolve("results")), url);
        Measurement m = SampleMeasurements.memory("r1", SampleMeasurements.COMMIT_A, "2025-01-01T10:00:00Z", 1.5);
        try (ResultStore store = ResultStore.open(url, null, null)) {
            store.save(m);
            // a second store on the same file, as `revbench results list` during a grid run would open it
            try (ResultStore reader = ResultStore.open(url, null, null)) {
                assertEquals(List.of(m), reader.find(ResultQuery.all()));
            }
        }
        assertTrue(Files.exists(tmp.resolve(".revbench").resolve("results").resolve("revbench.mv.db")));
    }

    @Test
    void aFailedSaveAllStoresNothing() {
        Measurement ok = SampleMeasurements.memory("r1", SampleMeasurements.COMMIT_A, "2025-01-01T10:00:00Z", 1.5);
        Measurement noProvenance = new Measurement("t", "r", "m", "cpu", "memory", "x", 1, "u", null, "h", null, null);
        try (ResultStore store = openStore()) {
            assertThrows(IllegalArgumentException.class, () -> store.saveAll(List.of(ok, noProvenance)));
            assertEquals(List.of(), store.find(ResultQuery.all()));
            store.save(ok); // the store is still usable, back in auto-commit
            assertEquals(List.of(ok), store.find(ResultQuery.all()));
        }
    }

    @Test
    void aStoreThatCannotBeOpenedNamesItsUrlButNotThePassword() {
        String url = "jdbc:postgresql://127.0.0.1:1/nothing?password=hunter2&connectTimeout=2";
        ResultStoreException e = assertThrows(ResultStoreException.class,
                () -> ResultStore.open(url, "someone", "s3cret-pw"));
        assertTrue(e.getMessage().contains("jdbc:postgresql://127.0.0.1:1/nothing?password=***"), e.getMessage());
        assertTrue(e.getMessage().contains("Connection") || e.getMessage().contains("connect"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("s3cret-pw"), e.getMessage());

        ResultStoreException noDriver = assertThrows(ResultStoreException.class,
                () -> ResultStore.open("jdbc:nosuchdb:x", null, null));
        assertTrue(noDriver.getMessage().contains("jdbc:nosuchdb:x") && noDriver.getMessage().contains("driver"),
                noDriver.getMessage());
    }

    @Test
    void aMalformedImportNamesTheFileAndTheRecord() throws Exception {
        Path file = tmp.resolve("broken.json");
        List<Measurement> ms = SampleMeasurements.twoCommits();
        ResultsJson.write(ms.subList(0, 2), file);
        // the second record loses its metric
        String text = Files.readString(file);
        int second = text.indexOf("\"metric\"", text.indexOf("\"metric\"") + 1);
        Files.writeString(file, text.substring(0, second) + "\"no_metric\"" + text.substring(second + 8));
        try (ResultStore store = openStore()) {
            MalformedResultsException e = assertThrows(MalformedResultsException.class, () -> store.importJson(file));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("record 1")
                    && e.getMessage().contains("metric"), e.getMessage());
            assertEquals(List.of(), store.find(ResultQuery.all()), "nothing of a malformed file is imported");
        }
        // broken syntax in the middle of the array
        Files.writeString(file, "[{\"table\": \"t\"}, {\"table\": ");
        MalformedResultsException syntax = assertThrows(MalformedResultsException.class, () -> ResultsJson.read(file));
        assertTrue(syntax.getMessage().startsWith(file + ": record 0"), syntax.getMessage());
        Files.writeString(file, "{\"not\": \"an array\"}");
        MalformedResultsException notArray = assertThrows(MalformedResultsException.class, () -> ResultsJson.read(file));
        assertTrue(notArray.getMessage().contains(file.toString()), notArray.getMessage());
    }

    @Test
    void provenanceIsOptionalToTheReaderButTheStoreImportsOnlyMeasurementsWithIt() throws Exception {
        Path file = tmp.resolve("no-provenance.json");
        List<Measurement> ms = SampleMeasurements.twoCommits().subList(0, 2);
        Measurement b = ms.get(1);
        List<Measurement> without = List.of(ms.get(0), new Measurement(b.table(), b.row(), b.model(), b.scale(),
                b.protocol(), b.metric(), b.value(), b.unit(), b.seed(), b.specHash(), b.details(), null));
        ResultsJson.write(without, file);
        assertEquals(without, ResultsJson.read(file));
        try (ResultStore store = openStore()) {
            MalformedResultsException e = assertThrows(MalformedResultsException.class, () -> store.importJson(file));
            assertTrue(e.getMessage().startsWith(file + ": record 1: no 'provenance'"), e.getMessage());
            assertEquals(List.of(), store.find(ResultQuery.all()), "nothing of the file is imported");
        }
    }
}
