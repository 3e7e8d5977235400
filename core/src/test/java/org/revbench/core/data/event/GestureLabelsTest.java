package org.revbench.core.data.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.revbench.core.data.event.AedatBytes.assertFails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GestureLabelsTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void readsRowsWithCrlfBlankLinesAndSpaces() throws IOException {
        Path f = csv("user01_led_labels.csv", "class,startTime_usec,endTime_usec\r\n1,80048239,85092709\r\n\r\n"
                + "11, 5 ,5\r\n 8,157773346,164029864\n\n");
        List<GestureLabels.Window> rows = GestureLabels.readLabels(f);
        assertEquals(List.of(new GestureLabels.Window(1, 80048239, 85092709, 2),
                new GestureLabels.Window(11, 5, 5, 4), new GestureLabels.Window(8, 157773346, 164029864, 5)), rows);
        assertEquals(0, rows.get(0).label());
        assertEquals(10, rows.get(1).label());
        assertEquals(0, GestureLabels.readLabels(csv("h.csv", "class,startTime_usec,endTime_usec\n")).size());
        assertEquals(dir.resolve("user01_led_labels.csv"),
                GestureLabels.labelsFileFor(dir.resolve("user01_led.aedat")));
    }

    @Test
    void labelErrorsNameFileAndLine() throws IOException {
        String h = "class,startTime_usec,endTime_usec\n";
        expect("", "line 1", "missing header");
        expect("class,start,end\n1,2,3\n", "line 1", "missing header");
        expect(h + "1,2,3\n1,2,3,4\n", "line 3", "malformed row '1,2,3,4': expected 3 fields");
        expect(h + "1\n", "line 2", "malformed row '1'");
        expect(h + "x,2,3\n", "line 2", "class 'x' is not a non-negative integer");
        expect(h + "1,-2,3\n", "line 2", "startTime_usec '-2' is not a non-negative integer");
        expect(h + "1,2,99999999999999999999\n", "line 2", "endTime_usec");
        expect(h + "0,2,3\n", "line 2", "class 0 outside 1-11");
        expect(h + "12,2,3\n", "line 2", "class 12 outside 1-11");
        expect(h + "\n3,10,9\n", "line 3", "end 9 before start 10");
        expect(h + "3,10\n", "line 2", "end time missing");
        expect(h + "3,10,\n", "line 2", "end time missing");
        expect(h + "3,10,11\n3,1\u00e9,2\n", "line 3", "not ASCII");
    }

    private int n;

    private void expect(String text, String line, String fragment) throws IOException {
        Path f = csv("bad" + n++ + "_labels.csv", text);
        assertFails(GestureLabelsException.class, f, () -> GestureLabels.readLabels(f), line, fragment);
    }

    @Test
    void trialListResolvesNamesAndRefusesMissingFiles() throws IOException {
        Files.write(dir.resolve("user01_led.aedat"), new byte[0]);
        csv("user01_led_labels.csv", "class,startTime_usec,endTime_usec\n");
        Files.write(dir.resolve("user02_lab.aedat"), new byte[0]);
        Path ok = csv("ok.txt", "\r\n  user01_led.aedat \r\n\r\n  \n");
        assertEquals(List.of(dir.resolve("user01_led.aedat").toAbsolutePath()), GestureLabels.readTrialList(ok));

        Path missing = csv("missing.txt", "user01_led.aedat\n\nuser03_lab.aedat\n");
        assertFails(GestureLabelsException.class, missing, () -> GestureLabels.readTrialList(missing), "line 3",
                "user03_lab.aedat is missing");
        Path noLabels = csv("nolabels.txt", "user02_lab.aedat\n");
        assertFails(GestureLabelsException.class, noLabels, () -> GestureLabels.readTrialList(noLabels), "line 1",
                "user02_lab_labels.csv missing for trial user02_lab.aedat");
        Path twice = csv("twice.txt", "user01_led.aedat\nuser01_led.aedat\n");
        assertFails(GestureLabelsException.class, twice, () -> GestureLabels.readTrialList(twice), "line 2",
                "listed twice");
        Path notAedat = csv("notaedat.txt", "user01_led.csv\n");
        assertFails(GestureLabelsException.class, notAedat, () -> GestureLabels.readTrialList(notAedat), "line 1",
                "not a userNN_lighting.aedat name");
        Path escape = csv("escape.txt", "../user01_led.aedat\n");
        assertFails(GestureLabelsException.class, escape, () -> GestureLabels.readTrialList(escape), "line 1",
                "not a userNN_lighting.aedat name");
    }
}
