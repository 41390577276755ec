package io.leadrouter.dev;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * zonky's PostgreSQL binaries, and where it unpacks them: {@code <working dir>/PG-<MD5 of the
 * archive>}. zonky keeps that folder to itself; the router needs it to run {@code postgres --single}
 * on a data directory before the server starts (to give the superuser its first password without
 * ever accepting a connection on trust). zonky reads the archive through this resolver, which
 * notes its digest on the way.
 */
final class PostgresBinaries implements PgBinaryResolver {

    /** One for the process: zonky unpacks once per resolver instance. */
    static final PostgresBinaries INSTANCE = new PostgresBinaries();

    private volatile String archiveDigest;

    private PostgresBinaries() {
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        if (archive == null) {
            return null;
        }
        byte[] bytes;
        try (archive) {
            bytes = archive.readAllBytes();
        }
        try {
            archiveDigest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
        return new ByteArrayInputStream(bytes);
    }

    /** zonky's own choice (it is given explicitly, so that the binaries' folder is known). */
    static Path workingDirectory() {
        return Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    }

    /** The command line of one of the binaries, as zonky runs them (in a user namespace when run as root). */
    List<String> command(String binary, String... arguments) {
        if (archiveDigest == null) {
            throw new IllegalStateException("the PostgreSQL binaries are not unpacked yet");
        }
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(workingDirectory().resolve("PG-" + archiveDigest).resolve("bin").resolve(binary).toString());
        command.addAll(List.of(arguments));
        return command;
    }
}
