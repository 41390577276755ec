package io.leadrouter.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files holding a secret (the first admin key, the embedded database's password): readable by this user only. */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /** Written beside the file, readable by this user only (mode 0600), then moved over it: never a moment with other modes. */
    public static void write(Path file, String secret) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path written;
        try {
            written = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            written = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
        }
        Files.writeString(written, secret + "\n", StandardCharsets.US_ASCII);
        Files.move(written, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The secret a file holds, without its line end. */
    public static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }
}
