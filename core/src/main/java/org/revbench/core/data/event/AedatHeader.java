package org.revbench.core.data.event;

import static org.revbench.core.data.DatasetFormatException.atByte;
import static org.revbench.core.data.DatasetFormatException.atLine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The ASCII headers of AEDAT 2.0 and 3.1 (docs/architecture.md, Datasets and file formats): lines that begin with
 * {@code '#'}, ended by LF or CRLF (jAER writes CRLF). AEDAT 2.0's header is every leading {@code '#'} line; AEDAT
 * 3.1's runs up to and including {@code #!END-HEADER}. The first line must name the version, so a file of another
 * format (or raw events without a header) is refused instead of being parsed as garbage.
 */
final class AedatHeader {
    static final String AEDAT2_VERSION = "#!AER-DAT2.0";
    static final String AEDAT31_VERSION = "#!AER-DAT3.1";
    static final String END_HEADER = "#!END-HEADER";
    /** jAER and cAER header lines are short; a longer one means the binary part was taken for header. */
    static final int MAX_LINE = 64 * 1024;

    private AedatHeader() {}

    /** Consumes an AEDAT 2.0 header; the input is left at the first event. Returns the number of header lines. */
    static long skipAedat2(ChunkedInput in) throws IOException {
        requireVersionLine(in, AEDAT2_VERSION);
        long line = 1;
        // the header ends at the first line that does not begin with '#', as in jAER and SpikingJelly
        while (in.fill(1) > 0 && in.buf[in.pos] == '#') {
            line++;
            readLine(in, line);
        }
        return line;
    }

    /** Consumes an AEDAT 3.1 header up to and including {@code #!END-HEADER}; returns the number of lines. */
    static long skipAedat31(ChunkedInput in) throws IOException {
        requireVersionLine(in, AEDAT31_VERSION);
        long line = 1;
        while (true) {
            line++;
            if (in.fill(1) == 0) {
                throw new AedatFormatException(in.file, atLine(line),
                        "header never ends: end of file before " + END_HEADER);
            }
            if (in.buf[in.pos] != '#') {
                throw new AedatFormatException(in.file, atLine(line), "header never ends: line does not begin with"
                        + " '#' and no " + END_HEADER + " came before it (byte " + in.offset() + ")");
            }
            if (readLine(in, line).equals(END_HEADER)) {
                return line;
            }
        }
    }

    private static void requireVersionLine(ChunkedInput in, String version) throws IOException {
        if (in.fill(1) == 0) {
            throw new AedatFormatException(in.file, atByte(0), "empty file: missing " + version + " header");
        }
        if (in.buf[in.pos] != '#') {
            throw new AedatFormatException(in.file, atByte(0), String.format(
                    "missing header: the file must begin with %s, found byte 0x%02x", version, in.buf[in.pos] & 0xFF));
        }
        String first = readLine(in, 1);
        if (!first.equals(version)) {
            throw new AedatFormatException(in.file, atLine(1),
                    "garbled header: first line is '" + printable(first) + "', expected " + version);
        }
    }

    /** Reads one header line, checks it is text, and returns it without its line end. */
    private static String readLine(ChunkedInput in, long line) throws IOException {
        int len = in.lineLength(MAX_LINE);
        if (len == -1) {
            throw new AedatFormatException(in.file, atLine(line),
                    "header never ends: end of file inside a header line (byte " + in.offset() + ")");
        }
        if (len == -2) {
            throw new AedatFormatException(in.file, atLine(line),
                    "garbled header: no line end within " + MAX_LINE + " bytes (byte " + in.offset() + ")");
        }
        int textLen = len - 1;
        if (textLen > 0 && in.buf[in.pos + textLen - 1] == '\r') {
            textLen--;
        }
        for (int i = 0; i < textLen; i++) {
            int b = in.buf[in.pos + i] & 0xFF;
            if ((b < 0x20 && b != '\t') || b == 0x7F) {
                throw new AedatFormatException(in.file, atLine(line), String.format(
                        "garbled header: control byte 0x%02x at byte %d", b, in.offset() + i));
            }
        }
        // ISO-8859-1 never fails to decode; header text is only compared with ASCII markers
        String text = new String(in.buf, in.pos, textLen, StandardCharsets.ISO_8859_1);
        in.pos += len;
        return text;
    }

    private static String printable(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
