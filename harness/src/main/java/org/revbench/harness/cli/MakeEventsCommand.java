package org.revbench.harness.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;
import org.revbench.core.data.catalog.DatasetCatalog;
import org.revbench.core.data.image.IdxReader;
import org.revbench.harness.data.StandIns;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code revbench data make-events --from fashion-mnist --format aedat2|aedat31 --out DIR}: records Fashion-MNIST
 * with the simulated event camera and writes it as a real DVS dataset (CIFAR10-DVS layout in AEDAT 2.0, or DVS128
 * Gesture layout in AEDAT 3.1), the learnable event data that installs offline.
 */
@Command(name = "make-events", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Record Fashion-MNIST with a simulated DVS camera (N-MNIST style saccades) and write it as a "
                + "real DVS dataset: aedat2 = CIFAR10-DVS layout, aedat31 = DVS128 Gesture layout."})
final class MakeEventsCommand extends BaseCommand {

    /** Fashion-MNIST's classes, as folder names. */

    enum Format { aedat2, aedat31 }

    @Option(names = "--from", required = true, paramLabel = "DATASET", description = "Source images: fashion-mnist.")
    String from;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "aedat2 or aedat31.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (the dataset root).")
    Path out;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "TEST",
            description = "Which Fashion-MNIST images: TEST (10,000, default) or TRAIN (60,000).")
    Split split;

    @Option(names = "--limit", paramLabel = "N", description = "Only the first N images.")
    Integer limit;

    @Option(names = "--sensor", paramLabel = "PIXELS", defaultValue = "34",
            description = "Square sensor size; the image is scaled to fit beside the motion (default ${DEFAULT-VALUE}, N-MNIST's; "
                    + "128 is the DVS128 of CIFAR10-DVS and DVS128 Gesture, with 16 times the events).")
    int sensor;

    @Option(names = "--per-trial", paramLabel = "N", defaultValue = "50",
            description = "aedat31: recordings per trial file (default ${DEFAULT-VALUE}).")
    int perTrial;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "2023", description = "Seed (default ${DEFAULT-VALUE}).")
    long seedValue;

    @Option(names = "--workers", paramLabel = "N", description = "Recording threads (default: the number of cores).")
    Integer workers;

    @Mixin
    DataDirOption dataDir;

    @Override
    protected Long seed() { return seedValue; }

    @Override
    protected int run() {
        if (!from.equals("fashion-mnist")) {
            throw new CliException(CliException.USAGE, "--from must be fashion-mnist (the real dataset every machine "
                    + "here can have), got '" + from + "'");
        }
        requireAtLeast("--sensor", sensor, 28);
        if (sensor > 128) {
            throw badOption("--sensor must be at most 128 (the AEDAT address fields are 7 bits), got " + sensor);
        }
        requireAtLeast("--per-trial", perTrial, 1);
        DatasetCatalog.Dataset fm = DatasetCatalog.load().get("fashion-mnist");
        Path dir = dataDir.resolve().locate(fm);
        ImageSet set;
        try {
            set = IdxReader.readFashionMnist(dir, split);
        } catch (DatasetFormatException e) {
            throw new CliException(CliException.FAILED, e.getMessage());
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "Fashion-MNIST not readable under " + dir + " (" + e
                    + "); install Debian's dataset-fashion-mnist or place the IDX files there");
        }
        requireAtLeast("--limit", limit == null ? 1 : limit, 1);
        int count = limit == null ? set.size() : Math.min(limit, set.size());
        int threads = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        try {
            StandIns.requireTestSplit(set, count, format.name(), perTrial);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.USAGE, (limit == null ? "" : "--limit " + limit + ": ") + e.getMessage());
        }

        out().printf(Locale.ROOT, "recording %d Fashion-MNIST %s images on a %dx%d sensor, %d thread(s) -> %s (%s)%n",
                count, split.name().toLowerCase(Locale.ROOT), sensor, sensor, threads, out, format);
        out().flush();
        Progress progress = new Progress(err(), "image", count, Progress.unicodeConsole());
        int every = Math.max(1, count / 20);
        long events;
        try {
            events = StandIns.record(set, count, format.name(), sensor, perTrial, seedValue, threads, out,
                    n -> tick(progress, n, every, count));
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "writing the event dataset failed: " + e);
        }
        double seconds = progress.elapsedSeconds();
        out().printf(Locale.ROOT, "%d images, %,d events (%.0f per image) in %.1f s (%.0f images/s)%n", count, events,
                events / (double) count, seconds, count / seconds);
        out().flush();
        if (json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("from", from);
            m.put("split", split.name().toLowerCase(Locale.ROOT));
            m.put("format", format.name());
            m.put("out", out.toAbsolutePath().toString());
            m.put("images", count);
            m.put("events", events);
            m.put("sensor", sensor);
            m.put("seconds", seconds);
            m.put("images_per_second", count / seconds);
            m.put("threads", threads);
            printJson(m);
        }
        return 0;
    }

    private static void tick(Progress p, int n, int every, int count) {
        if (n % every == 0 || n == count) {
            synchronized (p) {
                p.update(n, "");
            }
        }
    }
}
