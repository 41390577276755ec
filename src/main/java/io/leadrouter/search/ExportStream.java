package io.leadrouter.search;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An export's bytes, made as the HTTP server reads them: each refill formats the next batch of rows
 * from the database cursor, so the heap holds one batch however many events the export has. The
 * connection is given back at the end, on close, or on a failure.
 */
final class ExportStream extends InputStream {

    private static final Logger LOG = LoggerFactory.getLogger(ExportStream.class);
    static final int ROWS_PER_BATCH = 1000;

    /** The bytes made and not yet read; reset by each refill. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(256 * 1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private final Connection connection;
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final ExportFormat format;
    private final Buffer buffer = new Buffer();
    private final OutputStream out;
    private int position;
    private boolean finished;
    private boolean closed;
    private long written;

    ExportStream(Connection connection, PreparedStatement statement, ResultSet rows, ExportFormat format, boolean gzip)
            throws SQLException {
        this.connection = connection;
        this.statement = statement;
        this.rows = rows;
        this.format = format;
        try {
            this.out = gzip ? new GZIPOutputStream(buffer, 64 * 1024) : buffer;
            out.write(format.headerBytes());
        } catch (IOException e) {
            throw new SQLException("cannot start the export: " + e.getMessage(), e);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position >= buffer.size()) {
            if (finished || closed) {
                return -1;
            }
            refill();
        }
        int n = Math.min(length, buffer.size() - position);
        System.arraycopy(buffer.bytes(), position, into, offset, n);
        position += n;
        return n;
    }

    private void refill() throws IOException {
        buffer.reset();
        position = 0;
        try {
            for (int i = 0; i < ROWS_PER_BATCH; i++) {
                if (!rows.next()) {
                    out.close(); // the gzip trailer
                    finished = true;
                    release();
                    LOG.info("Export of {} events ({}) done", written, format.extension());
                    return;
                }
                out.write(format.line(EventSearch.parse(rows.getString(3))).getBytes(StandardCharsets.UTF_8));
                written++;
            }
            out.flush();
        } catch (SQLException | IOException | RuntimeException e) {
            release();
            closed = true;
            LOG.warn("Export broken off after {} events: {}", written, e.getMessage());
            throw e instanceof IOException io ? io : new IOException("the export failed after " + written + " events: " + e.getMessage(), e);
        }
    }

    /** Gives the connection back; the reader gets no more (a client that went away, or the end). */
    @Override
    public synchronized void close() {
        if (!finished && !closed) {
            LOG.info("Export closed after {} events, before its end", written);
        }
        closed = true;
        release();
    }

    private void release() {
        try {
            if (!connection.isClosed()) {
                rows.close();
                statement.close();
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            LOG.warn("Closing an export's connection failed: {}", e.getMessage());
        }
    }
}
