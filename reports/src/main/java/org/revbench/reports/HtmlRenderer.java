package org.revbench.reports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;

/**
 * Renders AsciiDoc pages to standalone HTML with AsciidoctorJ. The HTML is self-contained: the stylesheet is
 * embedded, web fonts are off, images are inlined as data URIs, and no icon font or script is linked (see
 * docs/architecture.md, Engine notes: {@code :icons: font} would link a CDN).
 */
public final class HtmlRenderer implements AutoCloseable {

    private final Asciidoctor asciidoctor;

    public HtmlRenderer() {
        this.asciidoctor = Asciidoctor.Factory.create();
    }

    /** Converts each {@code .adoc} file to an {@code .html} file beside it; returns the HTML files. */
    public List<Path> render(List<Path> adocFiles) throws IOException {
        Path dir = adocFiles.get(0).toAbsolutePath().getParent();
        try (InputStream in = HtmlRenderer.class.getClassLoader().getResourceAsStream("report/docinfo.html")) {
            Files.write(dir.resolve("docinfo.html"), in.readAllBytes());
        }
        Attributes attributes = Attributes.builder()
                .attribute("data-uri", "")
                .attribute("linkcss!", "")
                .attribute("webfonts!", "")
                .attribute("icons!", "")
                .attribute("docinfo", "shared")
                .attribute("nofooter", "")
                .attribute("sectanchors", "")
                .attribute("relfileprefix", "")
                .attribute("outfilesuffix", ".html")
                .build();
        Options options = Options.builder()
                .safe(SafeMode.UNSAFE)
                .standalone(true)
                .baseDir(dir.toFile())
                .attributes(attributes)
                .build();
        List<Path> out = new java.util.ArrayList<>();
        for (Path f : adocFiles) {
            asciidoctor.convertFile(f.toFile(), options);
            String name = f.getFileName().toString();
            out.add(f.resolveSibling(name.substring(0, name.length() - ".adoc".length()) + ".html"));
        }
        return out;
    }

    @Override
    public void close() {
        asciidoctor.close();
    }
}
