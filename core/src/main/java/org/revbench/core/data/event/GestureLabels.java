package org.revbench.core.data.event;

import static org.revbench.core.data.DatasetFormatException.atLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The text files of DVS128 Gesture (docs/architecture.md, Datasets and file formats): per trial
 * {@code userNN_{lighting}_labels.csv} with the header {@code class,startTime_usec,endTime_usec} and one row per
 * gesture (class 1-11, times in us); and the trial lists {@code trials_to_train.txt} / {@code trials_to_test.txt}, one
 * {@code userNN_lighting.aedat} per line. Blank lines are allowed in both (SpikingJelly's {@code np.loadtxt} and its
 * list loop skip them); every other malformed line is a {@link GestureLabelsException} naming the file and line,
 * nothing is skipped.
 */
public final class GestureLabels {
    public static final String HEADER = "class,startTime_usec,endTime_usec";
    public static final int CLASSES = 11;
    /** Real label files are about 300 bytes and trial lists about 2 KB; a huge one is the wrong file. */
    static final long MAX_TEXT_BYTES = 16L << 20;

    /** One labelled gesture: events with {@code startUs <= t < endUs}; {@code line} is its 1-based CSV line. */
    public record Window(int classId, long startUs, long endUs, int line) {
        /** The 0-based label: DVS128 Gesture numbers its classes 1-11. */
        public int label() { return classId - 1; }
    }

    private GestureLabels() {}

    /** The labels CSV of a trial: {@code userNN_lighting.aedat -> userNN_lighting_labels.csv}, same folder. */
    public static Path labelsFileFor(Path aedat) {
        String name = aedat.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return aedat.resolveSibling(stem + "_labels.csv");
    }

    /** The rows of a labels CSV, in file order. */
    public static List<Window> readLabels(Path csv) throws IOException {
        List<String> lines = lines(csv);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new GestureLabelsException(csv, atLine(1), "missing header: expected '" + HEADER + "'");
        }
        List<Window> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty()) {
                rows.add(row(csv, i + 1, text));
            }
        }
        return rows;
    }

    private static Window row(Path csv, int line, String text) throws GestureLabelsException {
        String[] f = text.split(",", -1);
        if (f.length == 2 || (f.length == 3 && f[2].isBlank())) {
            throw new GestureLabelsException(csv, atLine(line), "end time missing in row '" + text + "'");
        }
        if (f.length != 3) {
            throw new GestureLabelsException(csv, atLine(line),
                    "malformed row '" + text + "': expected 3 fields (" + HEADER + "), found " + f.length);
        }
        long classId = number(csv, line, f[0], "class");
        long start = number(csv, line, f[1], "startTime_usec");
        long end = number(csv, line, f[2], "endTime_usec");
        if (classId < 1 || classId > CLASSES) {
            throw new GestureLabelsException(csv, atLine(line), "class " + classId + " outside 1-" + CLASSES);
        }
        if (end < start) {
            throw new GestureLabelsException(csv, atLine(line), "end " + end + " before start " + start);
        }
        return new Window((int) classId, start, end, line);
    }

    private static long number(Path csv, int line, String field, String name) throws GestureLabelsException {
        String s = field.strip();
        boolean digits = !s.isEmpty() && s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw new GestureLabelsException(csv, atLine(line),
                    "malformed row: " + name + " '" + s + "' is not a non-negative integer");
        }
        return Long.parseLong(s);
    }

    /**
     * The recordings a trial list names, resolved in the list's folder, in list order. Each must be a plain
     * {@code *.aedat} file name, present, listed once, with its labels CSV beside it.
     */
    public static List<Path> readTrialList(Path list) throws IOException {
        List<String> lines = lines(list);
        Path dir = list.toAbsolutePath().getParent();
        List<Path> trials = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String name = lines.get(i).strip();
            if (name.isEmpty()) {
                continue;
            }
            String where = atLine(i + 1);
            if (!name.endsWith(".aedat") || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                throw new GestureLabelsException(list, where, "'" + name + "' is not a userNN_lighting.aedat name");
            }
            if (!seen.add(name)) {
                throw new GestureLabelsException(list, where, "trial " + name + " listed twice");
            }
            Path aedat = dir.resolve(name);
            if (!Files.isRegularFile(aedat)) {
                throw new GestureLabelsException(list, where, "trial file " + aedat + " is missing");
            }
            Path labels = labelsFileFor(aedat);
            if (!Files.isRegularFile(labels)) {
                throw new GestureLabelsException(list, where, "labels file " + labels + " missing for trial " + name);
            }
            trials.add(aedat);
        }
        return trials;
    }

    /** Lines without their LF / CRLF ends; the files are ASCII, anything else is a malformed line. */
    private static List<String> lines(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_TEXT_BYTES) {
            throw new GestureLabelsException(file, "", size + " bytes, too large for a labels CSV or trial list");
        }
        byte[] bytes = Files.readAllBytes(file);
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                if (i < bytes.length || end > start) {
                    lines.add(text(file, lines.size() + 1, bytes, start, end));
                }
                start = i + 1;
            }
        }
        return lines;
    }

    private static String text(Path file, int line, byte[] b, int from, int to) throws GestureLabelsException {
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xFF;
            if (c > 0x7E || (c < 0x20 && c != '\t')) {
                throw new GestureLabelsException(file, atLine(line),
                        String.format("malformed line: byte 0x%02x is not ASCII text", c));
            }
        }
        return new String(b, from, to - from, StandardCharsets.US_ASCII);
    }
}
