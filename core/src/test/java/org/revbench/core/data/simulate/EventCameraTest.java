package org.revbench.core.data.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.revbench.core.data.EventSample;
import org.revbench.core.data.EventStream;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.frames.EventFrames;
import org.revbench.core.data.frames.FrameSpec;
import org.revbench.core.data.frames.Frames;
import org.revbench.core.data.frames.SplitBy;

class EventCameraTest {

    static final EventCamera CAMERA = new EventCamera();

    /** A 28x28 grey image: a filled 12-pixel square, a thin ring around it, or a vertical bar, shaded top to bottom. */
    static float[] shape(String kind) {
        float[] img = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                double dx = x - 13.5;
                double dy = y - 13.5;
                double r = Math.sqrt(dx * dx + dy * dy);
                boolean in = switch (kind) {
                    case "square" -> Math.abs(dx) < 6 && Math.abs(dy) < 6;
                    case "ring" -> r > 9.5 && r < 12.5;
                    case "bar" -> Math.abs(dx) < 3 && Math.abs(dy) < 12;
                    default -> throw new IllegalArgumentException(kind);
                };
                img[y * 28 + x] = in ? (float) (0.6 + 0.4 * y / 27.0) : 0f;
            }
        }
        return img;
    }

    static ImageSet set(String... kinds) {
        byte[] px = new byte[kinds.length * 28 * 28];
        int[] labels = new int[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            float[] img = shape(kinds[i]);
            for (int j = 0; j < img.length; j++) {
                px[i * 784 + j] = (byte) Math.round(img[j] * 255);
            }
            labels[i] = i;
        }
        return new ImageSet("shapes", px, labels, 1, 28, 28, kinds.length);
    }

    /** Frames summed over time, [2, H, W], scaled to unit total. */
    static double[] histogram(EventStream s) {
        Frames f = EventFrames.integrate(s, FrameSpec.of(1, SplitBy.NUMBER));
        double[] h = new double[f.data().length];
        double total = f.total();
        for (int i = 0; i < h.length; i++) {
            h[i] = f.data()[i] / total;
        }
        return h;
    }

    static double l1(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += Math.abs(a[i] - b[i]);
        }
        return d;
    }

    static double onShare(EventStream s) {
        long on = 0;
        for (int i = 0; i < s.size(); i++) {
            on += s.p()[i];
        }
        return on / (double) s.size();
    }

    @Test
    void sameSeedSameEventsOtherSeedOtherEvents() {
        float[] img = shape("ring");
        EventStream a = CAMERA.simulate(img, 28, 28, 7);
        EventStream b = CAMERA.simulate(img, 28, 28, 7);
        EventStream c = CAMERA.simulate(img, 28, 28, 8);
        assertTrue(a.sameEvents(b));
        assertFalse(a.sameEvents(c), "the per-pixel thresholds depend on the seed");
        // the threshold noise is small: counts change by a few per cent, not more
        assertEquals(a.size(), c.size(), 0.1 * a.size());
    }

    @Test
    void eventsAreSortedOnTheSensorWithinTheRecordingAndBalanced() {
        for (String kind : new String[] {"square", "ring", "bar"}) {
            EventStream s = CAMERA.simulate(shape(kind), 28, 28, 1);
            assertEquals(34, s.width());
            assertEquals(34, s.height());
            assertTrue(s.size() > 500 && s.size() < 20_000, kind + ": " + s.size() + " events");
            for (int i = 0; i < s.size(); i++) {
                assertTrue(s.x()[i] >= 0 && s.x()[i] < 34 && s.y()[i] >= 0 && s.y()[i] < 34);
                assertTrue(s.t()[i] >= 0 && s.t()[i] <= CAMERA.durationMicros());
                assertTrue(s.p()[i] == 0 || s.p()[i] == 1);
                if (i > 0) {
                    assertTrue(s.t()[i] >= s.t()[i - 1], "sorted by time at " + i);
                }
            }
            double on = onShare(s);
            assertTrue(on > 0.3 && on < 0.7, kind + ": ON share " + on);
            // all three saccades produce events
            for (int leg = 0; leg < 3; leg++) {
                long from = leg * 100_000L;
                long n = java.util.stream.IntStream.range(0, s.size())
                        .filter(i -> s.t()[i] >= from && s.t()[i] < from + 100_000).count();
                assertTrue(n > s.size() / 10, kind + ": saccade " + leg + " has " + n + " events");
            }
        }
    }

    @Test
    void aBlankImageIsSilent() {
        assertEquals(0, CAMERA.simulate(new float[28 * 28], 28, 28, 1).size());
        float[] grey = new float[28 * 28];
        java.util.Arrays.fill(grey, 0.5f);
        // a uniform image only has edges at its border with the dark monitor
        EventStream s = CAMERA.simulate(grey, 28, 28, 1);
        for (int i = 0; i < s.size(); i++) {
            int x = s.x()[i];
            int y = s.y()[i];
            boolean nearBorder = x <= 8 || x >= 25 || y <= 8 || y >= 25;
            assertTrue(nearBorder, "event inside the uniform area at (" + x + ", " + y + ")");
        }
    }

    @Test
    void differentShapesGiveDifferentFrames() {
        ImageSet shapes = set("square", "ring", "bar");
        double[][] h = new double[3][];
        for (int i = 0; i < 3; i++) {
            EventSample s = CAMERA.simulate(shapes, i, 11);
            assertEquals(i, s.label());
            assertEquals("shapes[" + i + "]", s.source());
            h[i] = histogram(s.events());
        }
        // same image, other seed: nearly the same picture; other image: far apart (L1 of unit histograms, max 2)
        double same = l1(h[1], histogram(CAMERA.simulate(shapes, 1, 12).events()));
        assertTrue(same < 0.2, "same image, other seed: " + same);
        for (int i = 0; i < 3; i++) {
            for (int j = i + 1; j < 3; j++) {
                double d = l1(h[i], h[j]);
                System.out.printf("shapes %d-%d: %.3f (same image %.3f)%n", i, j, d, same);
                assertTrue(d > 0.8 && d > 4 * same, "shapes " + i + " and " + j + ": " + d);
            }
        }
    }

    @Test
    void largerSensorScalesTheImage() {
        EventCamera big = new EventCamera(EventCamera.Config.forSensor(128, 128));
        EventStream s = big.simulate(shape("square"), 28, 28, 1);
        assertEquals(128, s.width());
        int minX = 128;
        int maxX = 0;
        for (int i = 0; i < s.size(); i++) {
            minX = Math.min(minX, s.x()[i]);
            maxX = Math.max(maxX, s.x()[i]);
        }
        // the 12-pixel square is about 45 sensor pixels wide, plus the 22.6-pixel motion
        assertTrue(maxX - minX > 45 && maxX - minX < 80, minX + ".." + maxX);
        assertTrue(s.size() > CAMERA.simulate(shape("square"), 28, 28, 1).size());
    }

    @Test
    void fashionMnistClassesLookDifferent() throws IOException {
        assumeTrue(FashionMnistFiles.available(), "Fashion-MNIST files not installed");
        ImageSet set = FashionMnistFiles.test(200);
        // per class: the mean unit histogram of its first images
        double[][] mean = new double[10][];
        int[] n = new int[10];
        double[][] halves = new double[2][]; // trousers: mean of the first and of the second half
        long events = 0;
        for (int i = 0; i < set.size(); i++) {
            EventSample s = CAMERA.simulate(set, i, i);
            events += s.events().size();
            double[] h = histogram(s.events());
            int k = s.label();
            if (mean[k] == null) {
                mean[k] = new double[h.length];
            }
            for (int j = 0; j < h.length; j++) {
                mean[k][j] += h[j];
            }
            n[k]++;
            if (k == 1) {
                int half = i < set.size() / 2 ? 0 : 1;
                if (halves[half] == null) {
                    halves[half] = new double[h.length];
                }
                for (int j = 0; j < h.length; j++) {
                    halves[half][j] += h[j];
                }
            }
        }
        double perImage = events / (double) set.size();
        assertTrue(perImage > 2_000 && perImage < 10_000, "mean events per image " + perImage);
        for (int k = 0; k < 10; k++) {
            for (int j = 0; j < mean[k].length; j++) {
                mean[k][j] /= n[k];
            }
        }
        // trouser (1) against bag (8), and against sandal (5), compared with trousers against trousers
        double trouserBag = l1(mean[1], mean[8]);
        double trouserSandal = l1(mean[1], mean[5]);
        double norm0 = java.util.Arrays.stream(halves[0]).sum();
        double norm1 = java.util.Arrays.stream(halves[1]).sum();
        double trousers = l1(java.util.Arrays.stream(halves[0]).map(v -> v / norm0).toArray(),
                java.util.Arrays.stream(halves[1]).map(v -> v / norm1).toArray());
        System.out.printf("fashion-mnist: %.0f events/image, L1 trouser-bag %.3f, trouser-sandal %.3f, "
                + "trouser-trouser %.3f%n", perImage, trouserBag, trouserSandal, trousers);
        assertTrue(trouserBag > 0.5 && trouserBag > 2 * trousers, "trouser vs bag " + trouserBag);
        assertTrue(trouserSandal > 0.5 && trouserSandal > 2 * trousers, "trouser vs sandal " + trouserSandal);
    }
}
