package org.revbench.harness.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.revbench.core.data.catalog.DataDirectory;
import org.revbench.core.data.image.ImageFolderException;
import org.revbench.core.data.loader.Sample;
import org.revbench.core.model.InputSpec;

/** ImageNet's class folders as the training protocol reads them, on a two-class folder of PNGs written here. */
class ImageNetRealDatasetsTest {

    @TempDir
    Path dir;

    static void png(Path file, int height, int width, long seed) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random r = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        assertTrue(ImageIO.write(img, "png", file.toFile()));
    }

    Path imagenet(String... valClasses) throws IOException {
        Path root = dir.resolve("imagenet");
        png(root.resolve("train/n01/a.png"), 30, 40, 1);
        png(root.resolve("train/n01/b.png"), 40, 30, 2);
        png(root.resolve("train/n02/c.png"), 20, 20, 3);
        for (String c : valClasses) {
            png(root.resolve("val/" + c + "/v.png"), 25, 25, 4);
        }
        return root;
    }

    @Test
    void readsTrainAndValFoldersLazilyAtTheModelsSide() throws Exception {
        Path root = imagenet("n01", "n02");
        RealDatasets.Prepared p = RealDatasets.prepare("imagenet", root, DataDirectory.resolve(dir), new InputSpec(3, 16, 16, false), 1, 0);
        assertEquals(2, p.classes());
        assertEquals(3, p.train().size());
        assertEquals(2, p.test().size());
        assertArrayEquals(new int[] {3, 16, 16}, p.sampleShape());
        Sample s = p.train().sample(2, new SplittableRandom(1));
        assertEquals(3 * 16 * 16, s.data().length);
        assertEquals(1, s.label());
        // evaluation is deterministic: the centred window
        assertArrayEquals(p.test().sample(1, new SplittableRandom(1)).data(), p.test().sample(1, new SplittableRandom(2)).data());
        // training windows move with the generator
        float[] a = p.train().sample(0, new SplittableRandom(1)).data();
        boolean differs = false;
        for (long seed = 2; seed < 10 && !differs; seed++) {
            differs = !java.util.Arrays.equals(a, p.train().sample(0, new SplittableRandom(seed)).data());
        }
        assertTrue(differs, "random crops and flips");
    }

    @Test
    void refusesValidationFoldersThatAreNotTheTrainingClasses() throws IOException {
        Path root = imagenet("n01", "n03");
        ImageFolderException e = assertThrows(ImageFolderException.class, () -> RealDatasets.prepare("imagenet", root,
                DataDirectory.resolve(dir), new InputSpec(3, 16, 16, false), 1, 0));
        assertTrue(e.getMessage().contains("val") && e.getMessage().contains("class folders"), e.getMessage());
    }

    @Test
    void refusesAModelThatDoesNotTakeSquareRgbImages() throws IOException {
        Path root = imagenet("n01", "n02");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RealDatasets.prepare("imagenet", root,
                DataDirectory.resolve(dir), new InputSpec(2, 16, 16, true), 1, 0));
        assertTrue(e.getMessage().contains("imagenet holds RGB images"), e.getMessage());
    }
}
