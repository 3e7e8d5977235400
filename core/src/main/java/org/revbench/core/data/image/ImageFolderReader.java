package org.revbench.core.data.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.revbench.core.data.DatasetFormatException;
import org.revbench.core.data.ImageSet;
import org.revbench.core.data.Split;

/**
 * Class-per-folder image sets: an index of (file, label) built up front, and images decoded on demand, so an
 * ImageNet-sized folder costs only its index until images are loaded one at a time with {@link #load(int)};
 * {@link #loadAll()} decodes everything into one {@link ImageSet} for small sets.
 *
 * <p>Layouts: {@code root/<class>/<file>} (ImageNet train, plain folders) and {@code root/<class>/images/<file>}
 * (Tiny-ImageNet train: when a class folder has an {@code images} subfolder, only that is read, and files such as
 * {@code <wnid>_boxes.txt} are not images anyway). Classes are the sorted folder names (as torchvision's
 * ImageFolder numbers them); files are sorted by name; image files are those ending in {@code .jpeg}, {@code .jpg}
 * or {@code .png} (any case), other files are not part of the set. Tiny-ImageNet's validation split comes from
 * {@code val/val_annotations.txt}, in that file's order, with the train folders' class numbering.
 *
 * <p>Images become 3 x height x width planar RGB u8; how they are fitted is the {@link Fit}, and
 * {@link RgbDecoder} documents the resampling (exact copy at the target size, else bilinear with halving steps).
 */
public final class ImageFolderReader {

    /** How an image of another size or shape becomes {@code height x width}. */
    public enum Fit {
        /** Scale the whole image to the target, changing its aspect ratio if needed. */
        STRETCH,
        /** Crop the largest centred region of the target's aspect ratio, then scale it (keeps proportions). */
        CENTER_CROP
    }

    /** One image of the index. */
    public record Entry(Path file, int label) {}

    private static final List<String> EXTENSIONS = List.of(".jpeg", ".jpg", ".png");
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int BOX_FIELDS = 4;

    private final Path root;
    private final List<String> classes;
    private final List<Entry> entries;
    private final int height;
    private final int width;
    private final Fit fit;

    private ImageFolderReader(Path root, List<String> classes, List<Entry> entries, int height, int width, Fit fit) {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
        this.root = root;
        this.classes = List.copyOf(classes);
        this.entries = Collections.unmodifiableList(entries);
        this.height = height;
        this.width = width;
        this.fit = fit;
    }

    /** {@code root/<class>/[images/]*.{jpeg,jpg,png}}, centre-cropped and scaled to {@code height x width}. */
    public static ImageFolderReader classFolders(Path root, int height, int width) throws IOException {
        return classFolders(root, height, width, Fit.CENTER_CROP);
    }

    public static ImageFolderReader classFolders(Path root, int height, int width, Fit fit) throws IOException {
        List<String> classes = classNames(root);
        List<Entry> entries = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path dir = root.resolve(classes.get(label));
            Path images = Files.isDirectory(dir.resolve("images")) ? dir.resolve("images") : dir;
            List<Path> files = imageFiles(images);
            if (files.isEmpty()) {
                throw new ImageFolderException(images, "", "empty class folder: no .jpeg/.jpg/.png files");
            }
            for (Path f : files) {
                entries.add(new Entry(f, label));
            }
        }
        return new ImageFolderReader(root, classes, entries, height, width, fit);
    }

    /**
     * Tiny-ImageNet ({@code root} holds {@code train/} and {@code val/}): train from the class folders, test from
     * the validation annotations, both numbered by the sorted train folder names.
     */
    public static ImageFolderReader tinyImageNet(Path root, Split split, int height, int width, Fit fit)
            throws IOException {
        Path train = root.resolve("train");
        if (split == Split.TRAIN) {
            return classFolders(train, height, width, fit);
        }
        return tinyImageNetVal(root.resolve("val"), classNames(train), height, width, fit);
    }

    /**
     * Tiny-ImageNet's validation split: {@code valDir/val_annotations.txt}, tab-separated
     * {@code file wnid [x0 y0 x1 y1]} per line, images in {@code valDir/images/}; labels are positions in
     * {@code classes}.
     */
    public static ImageFolderReader tinyImageNetVal(Path valDir, List<String> classes, int height, int width, Fit fit)
            throws IOException {
        Path annotations = valDir.resolve("val_annotations.txt");
        if (!Files.isRegularFile(annotations)) {
            throw new ImageFolderException(annotations, "", "missing annotation file: expected "
                    + annotations.toAbsolutePath());
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
        }
        Path images = valDir.resolve("images");
        List<String> lines = Files.readAllLines(annotations, StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            entries.add(annotation(annotations, i + 1, lines.get(i), index, images));
        }
        if (entries.isEmpty()) {
            throw new ImageFolderException(annotations, "", "no annotation lines");
        }
        return new ImageFolderReader(valDir, classes, entries, height, width, fit);
    }

    /** The sorted names of the folders directly under {@code root}; at least one. */
    public static List<String> classNames(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new ImageFolderException(root, "", "missing image folder: expected a directory of class folders");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        }
        if (names.isEmpty()) {
            throw new ImageFolderException(root, "", "no class folders (expected " + root + "/<class>/ with images)");
        }
        Collections.sort(names);
        return names;
    }

    public List<String> classes() { return classes; }

    /** The index, in label-then-file order (validation: annotation order). */
    public List<Entry> entries() { return entries; }

    public int size() { return entries.size(); }

    public int height() { return height; }

    public int width() { return width; }

    public Fit fit() { return fit; }

    /** Bytes of one decoded image: 3 x height x width. */
    public int imageBytes() { return 3 * height * width; }

    /** Image {@code i}, decoded and fitted: planar RGB u8, {@link #imageBytes()} long. */
    public byte[] load(int i) throws IOException {
        byte[] out = new byte[imageBytes()];
        load(i, out, 0);
        return out;
    }

    /** Image {@code i} into {@code dst[offset, offset + imageBytes())}. */
    public void load(int i, byte[] dst, int offset) throws IOException {
        RgbDecoder.decode(entries.get(i).file(), height, width, fit, dst, offset);
    }

    /** Every image, decoded into memory: for sets that fit (Tiny-ImageNet, test folders), not ImageNet. */
    public ImageSet loadAll() throws IOException {
        long bytes = (long) size() * imageBytes();
        if (bytes > MAX_ARRAY) {
            throw new ImageFolderException(root, "", size() + " images of 3x" + height + "x" + width
                    + " do not fit one array: use load(i)");
        }
        byte[] pixels = new byte[(int) bytes];
        int[] labels = new int[size()];
        for (int i = 0; i < size(); i++) {
            load(i, pixels, i * imageBytes());
            labels[i] = entries.get(i).label();
        }
        return new ImageSet(String.valueOf(root.getFileName()), pixels, labels, 3, height, width, classes.size());
    }

    private static List<Path> imageFiles(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> isImageName(p.getFileName().toString()) && Files.isRegularFile(p)).forEach(files::add);
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        return files;
    }

    private static boolean isImageName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(lower::endsWith);
    }

    /** One {@code file<TAB>wnid[<TAB>x0<TAB>y0<TAB>x1<TAB>y1]} line. */
    private static Entry annotation(Path annotations, int lineNo, String line, Map<String, Integer> index,
            Path images) throws ImageFolderException {
        String where = DatasetFormatException.atLine(lineNo);
        String[] f = line.strip().split("\t", -1);
        boolean boxOk = f.length == 2 || f.length == 2 + BOX_FIELDS;
        for (int k = 2; boxOk && k < f.length; k++) {
            boxOk = f[k].matches("-?\\d{1,9}");
        }
        if (f.length < 2 || f[0].isEmpty() || f[1].isEmpty() || !boxOk || f[0].contains("/") || f[0].contains("\\")
                || f[0].equals("..")) {
            String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
            throw new ImageFolderException(annotations, where, "malformed annotation, expected "
                    + "'file<TAB>wnid[<TAB>x0<TAB>y0<TAB>x1<TAB>y1]', got '" + shown + "'");
        }
        Integer label = index.get(f[1]);
        if (label == null) {
            throw new ImageFolderException(annotations, where, "unknown class '" + f[1] + "' (not among the "
                    + index.size() + " train classes)");
        }
        Path file = images.resolve(f[0]);
        if (!Files.isRegularFile(file)) {
            throw new ImageFolderException(annotations, where, "image file " + file + " does not exist");
        }
        return new Entry(file, label);
    }
}
