package org.arvados.tasksasjobs.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** What a benchmark ran on: figures mean little without it. */
public record Machine(int cores, long memoryBytes, String os, String java, String postgres) {

    /** This machine, and the server behind {@code connection}. */
    public static Machine describe(Connection connection) throws SQLException {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize();
        }
        String postgres;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            postgres = rs.getString(1);
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), postgres);
    }

    /** One line, e.g. "2 cores, 7.8 GiB, Linux amd64, OpenJDK 64-Bit Server VM 17.0.9, PostgreSQL 17.6". */
    public String summary() {
        String memory = memoryBytes < 0 ? "memory unknown" : String.format("%.1f GiB", memoryBytes / (1024.0 * 1024 * 1024));
        return cores + " cores, " + memory + ", " + os + ", " + java + ", PostgreSQL " + postgres;
    }

    /** The same as a JSON object, for benchmark reports. */
    public ObjectNode toJson() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("cores", cores);
        m.put("memory_bytes", memoryBytes);
        m.put("os", os);
        m.put("java", java);
        m.put("postgres", postgres);
        return m;
    }
}
