package org.revbench.core.data.image;

import java.nio.file.Path;
import org.revbench.core.data.DatasetFormatException;

/**
 * A class-per-folder image set (ImageNet, Tiny-ImageNet, plain folders) with a missing class, an empty folder,
 * an undecodable image or a malformed annotation line.
 */
public class ImageFolderException extends DatasetFormatException {
    private static final long serialVersionUID = 1L;

    public ImageFolderException(Path file, String location, String problem) {
        super(file, location, problem);
    }

    public ImageFolderException(Path file, String location, String problem, Throwable cause) {
        super(file, location, problem, cause);
    }
}
