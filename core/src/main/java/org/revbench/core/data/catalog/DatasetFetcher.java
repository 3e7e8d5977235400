package org.revbench.core.data.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Brings a dataset into the data directory: for each catalogued archive, uses the copy already placed there or
 * downloads it (where it has a public URL and the network allows), verifies its MD5, and extracts it. Without a
 * network the error names the file to place, where, and its checksum.
 */
public final class DatasetFetcher {

    private final Duration timeout;
    private final Consumer<String> log;

    public DatasetFetcher(Duration timeout, Consumer<String> log) {
        this.timeout = timeout;
        this.log = log;
    }

    /** Fetches, verifies and extracts every archive of {@code d} into {@code root}; then checks the result. */
    public DatasetCheck.Report fetch(DatasetCatalog.Dataset d, Path root) throws IOException {
        Files.createDirectories(root);
        for (DatasetCatalog.Archive a : d.archives) {
            Path file = root.resolve(a.name);
            if (!Files.isRegularFile(file)) {
                download(d, a, file);
            }
            if (a.md5 != null) {
                log.accept("verifying " + file);
                Checksums.Digest dg = Checksums.md5(file);
                if (!dg.md5().equalsIgnoreCase(a.md5)) {
                    throw new ChecksumMismatchException(file, "md5", a.md5, dg.md5());
                }
            }
            log.accept("extracting " + file);
            int n = ArchiveExtractor.extract(file, root);
            log.accept("extracted " + n + " files into " + root);
        }
        return DatasetCheck.check(d, root, true);
    }

    private void download(DatasetCatalog.Dataset d, DatasetCatalog.Archive a, Path file) throws IOException {
        String place = "place " + a.name + " in " + file.getParent()
                + (a.md5 != null ? " (md5 " + a.md5 + ")" : "") + " and run `./revbench data fetch " + d.name + "` again";
        if (a.url == null) {
            throw new MissingDatasetException(a.name + " cannot be downloaded automatically: download it by hand from "
                    + a.manualUrl + ", then " + place);
        }
        log.accept("downloading " + a.url);
        Path part = file.resolveSibling(a.name + ".part");
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
            HttpResponse<InputStream> resp = client.send(HttpRequest.newBuilder(URI.create(a.url)).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (resp.statusCode() != 200) {
                resp.body().close();
                throw new IOException("HTTP " + resp.statusCode());
            }
            try (InputStream in = resp.body()) {
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | InterruptedException | IllegalArgumentException e) {
            Files.deleteIfExists(part);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new MissingDatasetException("could not download " + a.url + " (" + why
                    + "; is there a network?): " + place);
        }
    }
}
