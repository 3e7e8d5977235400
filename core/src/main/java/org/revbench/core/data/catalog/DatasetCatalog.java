package org.revbench.core.data.catalog;

import com.google.gson.Gson;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The datasets RevBench knows: what files make each one, their sizes and checksums where they are published,
 * and the archives they come in. Data, not code: {@code datasets.json} beside this class.
 */
public final class DatasetCatalog {

    /** One file of a dataset, relative to the dataset's root. */
    public static final class FileEntry {
        public String path;
        /** Exact size in bytes, or null. */
        public Long bytes;
        /** MD5 of the file's bytes, or null. */
        public String md5;
        /** MD5 of the gunzipped content (for .gz files whose compression differs between distributions). */
        @SerializedName("content_md5")
        public String contentMd5;
        @SerializedName("content_bytes")
        public Long contentBytes;
    }

    /** A folder that must hold at least {@code minFiles} entries matching {@code glob}. */
    public static final class DirEntry {
        public String path;
        @SerializedName("min_files")
        public int minFiles;
        public String glob;
    }

    /** A published archive: verified by MD5, then extracted into the dataset root. */
    public static final class Archive {
        public String name;
        /** Null where the host needs a browser (then {@code manualUrl}). */
        public String url;
        @SerializedName("manual_url")
        public String manualUrl;
        /** Null where no checksum is published. */
        public String md5;
    }

    /** One dataset. */
    public static final class Dataset {
        public String name;
        public String title;
        public List<FileEntry> files = List.of();
        public List<DirEntry> dirs = List.of();
        public List<Archive> archives = List.of();
        /** Directories a system package installs it into, searched after the data directory. */
        @SerializedName("system_dirs")
        public List<String> systemDirs = List.of();
        @SerializedName("install_hint")
        public String installHint;
    }

    private List<Dataset> datasets;

    private DatasetCatalog() {}

    /** The catalog shipped with core. */
    public static DatasetCatalog load() {
        try (InputStream in = DatasetCatalog.class.getResourceAsStream("datasets.json")) {
            if (in == null) {
                throw new IllegalStateException("datasets.json missing from the class path");
            }
            DatasetCatalog c = new Gson().fromJson(new InputStreamReader(in, StandardCharsets.UTF_8), DatasetCatalog.class);
            for (Dataset d : c.datasets) {
                d.files = d.files == null ? List.of() : d.files;
                d.dirs = d.dirs == null ? List.of() : d.dirs;
                d.archives = d.archives == null ? List.of() : d.archives;
                d.systemDirs = d.systemDirs == null ? List.of() : d.systemDirs;
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Dataset> all() { return List.copyOf(datasets); }

    public List<String> names() { return datasets.stream().map(d -> d.name).toList(); }

    /** The dataset, or an IllegalArgumentException listing the known names. */
    public Dataset get(String name) {
        return datasets.stream().filter(d -> d.name.equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown dataset '" + name + "'; known datasets: " + String.join(", ", names())));
    }
}
