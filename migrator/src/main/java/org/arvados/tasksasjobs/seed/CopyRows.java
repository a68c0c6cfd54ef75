package org.arvados.tasksasjobs.seed;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Rows streamed into one {@code COPY table (columns) FROM STDIN} in PostgreSQL's text format, one row at a time:
 * nothing but the current row and a 64 KiB buffer is held. pgjdbc always sets client_encoding to UTF8, so text goes
 * out as UTF-8; backslash, newline, carriage return and tab are escaped, NULL is {@code \N}.
 */
final class CopyRows implements AutoCloseable {

    /** Marks an absent timestamp (written as NULL). */
    static final long NO_TIME = Long.MIN_VALUE;

    private final PGCopyOutputStream copy;
    private final Writer out;
    private final StringBuilder row = new StringBuilder(1024);
    private boolean firstField = true;
    private long rows;
    private boolean finished;

    CopyRows(Connection connection, String table, String columns) throws SQLException {
        this.copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
                "COPY " + table + " (" + columns + ") FROM STDIN", 1 << 16);
        this.out = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
    }

    CopyRows text(String value) {
        separate();
        if (value == null) {
            row.append("\\N");
            return this;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> row.append("\\\\");
                case '\n' -> row.append("\\n");
                case '\r' -> row.append("\\r");
                case '\t' -> row.append("\\t");
                default -> row.append(c);
            }
        }
        return this;
    }

    CopyRows number(long value) {
        separate();
        row.append(value);
        return this;
    }

    CopyRows number(Integer value) {
        return value == null ? text(null) : number(value.longValue());
    }

    CopyRows real(Double value) {
        separate();
        row.append(value == null ? "\\N" : value.toString());
        return this;
    }

    CopyRows bool(Boolean value) {
        separate();
        row.append(value == null ? "\\N" : value ? "t" : "f");
        return this;
    }

    /** A timestamp without time zone, microseconds since 1970-01-01 00:00, or {@link #NO_TIME}. */
    CopyRows time(long micros) {
        separate();
        if (micros == NO_TIME) {
            row.append("\\N");
            return this;
        }
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        pad(t.getYear(), 4).append('-');
        pad(t.getMonthValue(), 2).append('-');
        pad(t.getDayOfMonth(), 2).append(' ');
        pad(t.getHour(), 2).append(':');
        pad(t.getMinute(), 2).append(':');
        pad(t.getSecond(), 2).append('.');
        pad(t.getNano() / 1000, 6);
        return this;
    }

    void endRow() throws SQLException {
        row.append('\n');
        try {
            out.append(row);
        } catch (IOException e) {
            throw failure(e);
        }
        row.setLength(0);
        firstField = true;
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Ends the COPY; the rows are in once this returns. */
    void finish() throws SQLException {
        try {
            out.flush();
            copy.endCopy();
            finished = true;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** pgjdbc wraps the server's error in an IOException when it surfaces in a write; hand on the server's error. */
    private static SQLException failure(IOException e) {
        return e.getCause() instanceof SQLException sql ? sql : new SQLException("COPY failed: " + e.getMessage(), "08006", e);
    }

    /** Cancels the COPY if {@link #finish()} was not reached, so the connection is usable for the rollback. */
    @Override
    public void close() throws SQLException {
        if (!finished && copy.isActive()) {
            copy.cancelCopy();
        }
    }

    private void separate() {
        if (!firstField) {
            row.append('\t');
        }
        firstField = false;
    }

    private StringBuilder pad(int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            row.append('0');
        }
        return row.append(s);
    }
}
