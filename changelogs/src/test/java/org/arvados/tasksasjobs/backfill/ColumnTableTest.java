package org.arvados.tasksasjobs.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.arvados.tasksasjobs.changelog.MigrationChangelog;
import org.arvados.tasksasjobs.changelog.Phase;
import org.arvados.tasksasjobs.mapping.JobColumn;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SQL kept as SQL agrees with the column table (JobColumn): the columns the expand phase adds, the contract's
 * composite type, its INSTEAD OF insert and its rebuilt job_tasks row. A new column added to the table and not to
 * the changelogs, or the other way round, fails here.
 */
@ExtendWith(ArvadosDatabaseExtension.class)
class ColumnTableTest {

    private static final String EXPAND = "db/changelog/expand.xml";
    private static final String CONTRACT = "db/changelog/contract.xml";

    @Test
    void expandAddsTheTablesExpandColumnsWithTheirTypesAndItsRollbackDropsThem() throws IOException {
        String changeSet = changeSet(EXPAND, "expand-add-task-columns-to-jobs");
        Map<String, String> added = new LinkedHashMap<>();
        Matcher m = Pattern.compile("ADD COLUMN (\\w+) ([a-z ()0-9]+?)\\s*(,|\\n])").matcher(changeSet);
        while (m.find()) {
            added.put(m.group(1), m.group(2));
        }
        Map<String, String> expected = new LinkedHashMap<>();
        JobColumn.addedByExpandPhase().forEach(c -> expected.put(c.column(), c.type().ddl()));
        assertEquals(expected, added);

        List<String> dropped = new ArrayList<>();
        Matcher d = Pattern.compile("DROP COLUMN (\\w+)").matcher(changeSet);
        while (d.find()) {
            dropped.add(d.group(1));
        }
        assertEquals(List.copyOf(expected.keySet()), dropped);
    }

    @Test
    void aDatabaseAfterExpandHasExactlyTheTablesColumns(TestDatabase db) throws Exception {
        try (Connection c = db.connect()) {
            new MigrationChangelog(c).update(List.of(Phase.EXPAND), BackfillSettings.defaults(), BackfillListener.NONE);
            Map<String, String> actual = new TreeMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                            + " WHERE attrelid = 'jobs'::regclass AND attnum > 0 AND NOT attisdropped")) {
                while (rs.next()) {
                    actual.put(rs.getString(1), rs.getString(2));
                }
            }
            Map<String, String> expected = new TreeMap<>();
            for (JobColumn column : JobColumn.values()) {
                expected.put(column.column(), column.type().ddl());
            }
            expected.put("id", "bigint");
            expected.put("legacy_task_id", "bigint"); // the expand phase's bookkeeping, written by the writers
            assertEquals(expected, actual);
        }
    }

    @Test
    void theContractsCompositeTypeHoldsEveryWrittenColumn() throws IOException {
        String contract = text(CONTRACT);
        Matcher type = Pattern.compile("CREATE TYPE tasks_as_jobs_task_like_job AS \\((.*?)\\);", Pattern.DOTALL).matcher(contract);
        assertTrue(type.find(), "contract.xml creates tasks_as_jobs_task_like_job");
        Map<String, String> fields = new TreeMap<>();
        for (String field : type.group(1).split(",")) {
            String[] parts = field.trim().split("\\s+", 2);
            fields.put(parts[0], parts[1].replaceAll("\\s+", " "));
        }
        Map<String, String> expected = new TreeMap<>();
        JobColumn.written().forEach(c -> expected.put(c.column(), c.type().ddl()));
        assertEquals(expected, fields);
    }

    @Test
    void theViewsInsteadOfInsertWritesEveryWrittenColumnAndTheTaskId() throws IOException {
        String contract = text(CONTRACT);
        Matcher insert = Pattern.compile("INSERT INTO jobs \\(([^)]*)\\)\\s+VALUES \\(m\\.").matcher(contract);
        assertTrue(insert.find(), "the INSTEAD OF trigger inserts into jobs");
        TreeSet<String> columns = new TreeSet<>();
        for (String column : insert.group(1).split(",")) {
            columns.add(column.trim());
        }
        TreeSet<String> expected = new TreeSet<>();
        JobColumn.written().forEach(c -> expected.add(c.column()));
        expected.add("legacy_task_id");
        assertEquals(expected, columns);
    }

    @Test
    void theContractRebuildsEachJobTasksColumnFromTheColumnTheTableNames() throws IOException {
        String contract = text(CONTRACT);
        List<String> known = array(contract, "known");
        List<String> rebuilt = array(contract, "rebuilt");
        Map<String, String> actual = new TreeMap<>();
        for (int i = 0; i < known.size(); i++) {
            actual.put(known.get(i), rebuilt.get(i));
        }
        Map<String, String> expected = new TreeMap<>();
        for (JobColumn column : JobColumn.values()) {
            if (column.taskColumn() != null) {
                expected.put(column.taskColumn(), "j." + column.column());
            }
        }
        expected.put("id", "j.legacy_task_id");
        expected.put("success", "CASE j.state WHEN ''Complete'' THEN true WHEN ''Failed'' THEN false END");
        assertEquals(expected, actual);
    }

    /** The elements of {@code name constant text[] := ARRAY[...]} in the contract's DO block. */
    private static List<String> array(String contract, String name) {
        Matcher m = Pattern.compile(name + " constant text\\[\\] := ARRAY\\[(.*?)\\];", Pattern.DOTALL).matcher(contract);
        assertTrue(m.find(), "contract.xml declares " + name);
        List<String> elements = new ArrayList<>();
        Matcher e = Pattern.compile("'((?:[^']|'')*)'").matcher(m.group(1));
        while (e.find()) {
            elements.add(e.group(1));
        }
        return elements;
    }

    private static String changeSet(String resource, String id) throws IOException {
        String text = text(resource);
        int start = text.indexOf("<changeSet id=\"" + id + "\"");
        assertTrue(start >= 0, resource + " has changeSet " + id);
        return text.substring(start, text.indexOf("</changeSet>", start));
    }

    private static String text(String resource) throws IOException {
        try (InputStream in = ColumnTableTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertTrue(in != null, resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
