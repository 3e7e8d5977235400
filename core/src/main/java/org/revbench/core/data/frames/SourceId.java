package org.revbench.core.data.frames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a cached sample was made from: a key naming the recording (a file's absolute path, plus the part of it for a
 * file holding several samples) and the file's size and modification time. A cache entry is used only when all
 * three still match, so replacing or touching the file rebuilds its frames.
 */
public record SourceId(String key, long size, long modifiedMillis) {

    public SourceId {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("source key must not be empty");
        }
    }

    /** The whole of {@code file}. */
    public static SourceId ofFile(Path file) throws IOException {
        return ofFile(file, null);
    }

    /** Part {@code part} (e.g. "gesture 3" of a DVS128 Gesture trial) of {@code file}; null for the whole file. */
    public static SourceId ofFile(Path file, String part) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        String key = file.toAbsolutePath().normalize().toString() + (part == null ? "" : "#" + part);
        return new SourceId(key, a.size(), a.lastModifiedTime().toMillis());
    }
}
