package org.arvados.tasksasjobs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.arvados.tasksasjobs.changelog.BaselineSchema;
import org.arvados.tasksasjobs.testdb.FreshDatabaseExtension;
import org.arvados.tasksasjobs.testdb.TestDatabase;
import org.arvados.tasksasjobs.verification.CheckResult;
import org.arvados.tasksasjobs.verification.QuarantineCheck;
import org.arvados.tasksasjobs.verification.RoundTripCheck;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input corpus, end to end: one row of job_tasks per quarantine reason and per form a serialized hash takes in
 * real databases, all migrated together by {@code migrate} (the real backfill, small batches), each with the outcome it
 * must have: the task-like job's merged {@code script_parameters}, or the quarantine reason. Unit tests of the reader
 * (SerializedHashReaderTest, SnakeYamlDecoderTest) pin the decoding; this pins what a migrated database holds.
 */
@ExtendWith(FreshDatabaseExtension.class)
class BadInputCorpusTest {

    private static final String PARENT = "zzzzz-8i9sb-corpusparent000";
    private static final String PARENT_BAD_PARAMETERS = "zzzzz-8i9sb-corpusbadparams";
    private static final String PARENT_UNKNOWN_STATE = "zzzzz-8i9sb-corpusoddstate0";
    private static final String PARENT_PARAMETERS = "{\"p\":\"parent\",\"input\":\"parent-input\"}";
    /** The parent's keys, merged under every carried task's own: canonical (deep-sorted, compact) JSON. */
    private static final String INHERITED = "\"input\":\"parent-input\",\"p\":\"parent\"";
    private static final String HUGE_MANIFEST = hugeManifest(4 * 1024 * 1024);

    /** One row of the corpus: a task and what it must become. */
    private record Case(String name, String uuid, String jobUuid, String parameters, Boolean success, String output,
                        String scriptParameters, String quarantineReason) {

        static Case carried(String name, String uuid, String parameters, String scriptParameters) {
            return new Case(name, uuid, PARENT, parameters, true, null, scriptParameters, null);
        }

        static Case quarantined(String name, String uuid, String jobUuid, String parameters, Boolean success, String reason) {
            return new Case(name, uuid, jobUuid, parameters, success, null, null, reason);
        }

        Case withOutput(String text) {
            return new Case(name, uuid, jobUuid, parameters, success, text, scriptParameters, quarantineReason);
        }
    }

    private static final List<Case> CORPUS = List.of(
            // every quarantine reason
            Case.quarantined("orphan: job_uuid NULL", "zzzzz-ot0gb-corpusorphan001", null, "{}", true, "orphan"),
            Case.quarantined("orphan: job_uuid names no job", "zzzzz-ot0gb-corpusorphan002", "zzzzz-8i9sb-nosuchjob000000", "{}", true, "orphan"),
            Case.quarantined("null_uuid", null, PARENT, "{}", true, "null_uuid"),
            Case.quarantined("malformed_uuid", "zzzzz-ot0gb-short", PARENT, "{}", true, "malformed_uuid"),
            Case.quarantined("unparseable_parameters: neither JSON nor YAML", "zzzzz-ot0gb-corpusbadparam1", PARENT, "not a hash", true,
                    "unparseable_parameters"),
            Case.quarantined("unparseable_parameters: a JSON array", "zzzzz-ot0gb-corpusbadparam2", PARENT, "[1,2]", true,
                    "unparseable_parameters"),
            Case.quarantined("unparseable_parent_parameters", "zzzzz-ot0gb-corpusbadparent", PARENT_BAD_PARAMETERS, "{}", true,
                    "unparseable_parent_parameters"),
            Case.quarantined("unknown_parent_state: unfinished task of a job in state 'Paused'", "zzzzz-ot0gb-corpusoddstate1",
                    PARENT_UNKNOWN_STATE, "{}", null, "unknown_parent_state"),
            // every form of a serialized hash
            Case.carried("NULL parameters: an empty hash", "zzzzz-ot0gb-corpusnull00001", null, "{" + INHERITED + "}"),
            Case.carried("JSON {}", "zzzzz-ot0gb-corpusempty0001", "{}", "{" + INHERITED + "}"),
            Case.carried("YAML '--- {}' and a newline", "zzzzz-ot0gb-corpusyamlempty", "--- {}\n", "{" + INHERITED + "}"),
            Case.carried("YAML hash: the task's keys win, numbers stay numbers", "zzzzz-ot0gb-corpusyamlhash1",
                    "---\ninput: fa7aeb5140e2848d39b416daeef4ffc5+45\nlevel: 2\n",
                    "{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"level\":2,\"p\":\"parent\"}"),
            Case.carried("YAML with quoted numeric strings: strings stay strings", "zzzzz-ot0gb-corpusyamlquote",
                    "---\nan_integer: '1'\n", "{\"an_integer\":\"1\"," + INHERITED + "}"),
            Case.carried("JSON in insertion order: deep-sorted", "zzzzz-ot0gb-corpusjsonorder",
                    "{\"z\":1,\"a\":{\"y\":[{\"d\":1,\"c\":2}],\"b\":null}}",
                    "{\"a\":{\"b\":null,\"y\":[{\"c\":2,\"d\":1}]}," + INHERITED + ",\"z\":1}"),
            Case.carried("double-encoded JSON: a YAML string holding JSON", "zzzzz-ot0gb-corpusdoubleenc",
                    "--- '{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"n\":1}'\n",
                    "{\"input\":\"fa7aeb5140e2848d39b416daeef4ffc5+45\",\"n\":1,\"p\":\"parent\"}"),
            Case.carried("Ruby symbols written as strings with a leading ':'", "zzzzz-ot0gb-corpusrubysym01",
                    "---\n:input: :sym\n", "{\":input\":\":sym\"," + INHERITED + "}"),
            Case.quarantined("YAML date: refused as Psych's safe load refuses it", "zzzzz-ot0gb-corpusyamldate1", PARENT,
                    "---\nwhen: 2016-03-01\n", true, "unparseable_parameters"),
            Case.carried("non-ASCII: raw UTF-8, no escapes", "zzzzz-ot0gb-corpusnonascii1",
                    "{\"name\":\"J\\u00fcrgen \u2603 日本 \uD83D\uDE00\"}",
                    "{\"input\":\"parent-input\",\"name\":\"Jürgen \u2603 日本 \uD83D\uDE00\",\"p\":\"parent\"}"),
            Case.carried("a huge manifest output (4 MB): carried, its portable data hash as output", "zzzzz-ot0gb-corpushugeout01",
                    "{}", "{" + INHERITED + "}").withOutput(HUGE_MANIFEST),
            Case.carried("uuid collision: a job already has the derived uuid, a fresh one is drawn", "zzzzz-ot0gb-corpuscollide01",
                    "{}", "{" + INHERITED + "}"));

    @TestFactory
    Stream<DynamicTest> everyBadInputHasItsExpectedOutcome(TestDatabase db) throws Exception {
        Map<Case, Long> ids = new HashMap<>();
        try (Connection c = db.connect()) {
            BaselineSchema.apply(c);
            job(c, PARENT, "Complete", PARENT_PARAMETERS);
            job(c, PARENT_BAD_PARAMETERS, "Complete", "--- [unclosed");
            job(c, PARENT_UNKNOWN_STATE, "Paused", "{}");
            job(c, "zzzzz-8i9sb-corpuscollide01", "Complete", "{}"); // what the colliding task's uuid would become
            for (Case k : CORPUS) {
                ids.put(k, task(c, k));
            }
        }

        Cli.Run migrate = Cli.run("migrate", "--url", db.jdbcUrl(), "--batch-size", "4");
        assertEquals(ExitCode.OK, migrate.exitCode(), migrate.err());

        Map<Case, Outcome> outcomes = new HashMap<>();
        CheckResult roundTrip;
        CheckResult quarantine;
        try (Connection c = db.connect()) {
            for (Case k : CORPUS) {
                outcomes.put(k, outcome(c, k, ids.get(k)));
            }
            roundTrip = new RoundTripCheck(c).run();
            quarantine = new QuarantineCheck(c).run();
        }
        Stream<DynamicTest> rows = CORPUS.stream().map(k -> dynamicTest(k.name(), () -> assertOutcome(k, outcomes.get(k))));
        Stream<DynamicTest> whole = Stream.of(
                dynamicTest("round trip: job_tasks rebuilt from task-like jobs equals job_tasks",
                        () -> assertTrue(roundTrip.passed(), roundTrip.firstDifferences().toString())),
                dynamicTest("quarantine: every quarantined task is still in job_tasks and has no task-like job",
                        () -> assertTrue(quarantine.passed(), quarantine.firstDifferences().toString())));
        return Stream.concat(rows, whole);
    }

    /** What a task became: its task-like job (null when none) and its quarantine reason (null when none). */
    private record Outcome(String uuid, String scriptParameters, String digest, String state, String output, String taskParameters,
                           String taskOutput, String reason) {
    }

    private static void assertOutcome(Case k, Outcome o) throws Exception {
        if (k.quarantineReason() != null) {
            assertEquals(k.quarantineReason(), o.reason(), "quarantine reason");
            assertNull(o.uuid(), "a quarantined task has no task-like job");
            return;
        }
        assertNull(o.reason(), "not quarantined");
        assertNotNull(o.uuid(), "carried");
        assertEquals(k.scriptParameters(), o.scriptParameters(), "merged script_parameters");
        assertEquals(md5(k.scriptParameters()), o.digest(), "digest of exactly that text");
        assertEquals("Complete", o.state());
        assertEquals(k.parameters(), o.taskParameters(), "task_parameters byte for byte");
        assertEquals(k.output(), o.taskOutput(), "task_output byte for byte");
        assertEquals(k.output() == null ? null : md5(k.output()) + "+" + k.output().getBytes(StandardCharsets.UTF_8).length, o.output(),
                "output: the portable data hash of the manifest");
        String derived = k.uuid().substring(0, 5) + "-8i9sb-" + k.uuid().substring(12);
        if (k.name().startsWith("uuid collision")) {
            assertNotEquals(derived, o.uuid());
            assertTrue(o.uuid().matches("zzzzz-8i9sb-[0-9a-z]{15}"), o.uuid());
        } else {
            assertEquals(derived, o.uuid(), "the task's uuid with the job infix");
        }
    }

    private static Outcome outcome(Connection c, Case k, long id) throws SQLException {
        String sql = """
                SELECT j.uuid, j.script_parameters, j.script_parameters_digest, j.state, j.output, j.task_parameters, j.task_output,
                       q.reason
                FROM job_tasks t
                LEFT JOIN jobs j ON j.legacy_task_uuid = t.uuid
                LEFT JOIN job_tasks_quarantine q ON q.task_id = t.id
                WHERE t.id = ?
                """;
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertTrue(rs.next(), k.name() + ": still in job_tasks");
                return new Outcome(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8));
            }
        }
    }

    private static void job(Connection c, String uuid, String state, String scriptParameters) throws SQLException {
        String sql = """
                INSERT INTO jobs (uuid, owner_uuid, script, script_version, repository, script_parameters, state, running, success,
                    log, created_at, updated_at, modified_at, priority)
                VALUES (?, 'zzzzz-tpzed-000000000000000', 'hash', 'a1f7b8a3e6e2c9d0b4e5f6a7b8c9d0e1f2a3b4c5', 'active/foo', ?, ?,
                    false, ?, 'd41d8cd98f00b204e9800998ecf8427e+0', ?, ?, ?, 0)
                """;
        LocalDateTime t0 = LocalDateTime.of(2016, 3, 1, 12, 0);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, uuid);
            st.setString(2, scriptParameters);
            st.setString(3, state);
            st.setObject(4, state.equals("Complete") ? Boolean.TRUE : null);
            st.setObject(5, t0);
            st.setObject(6, t0);
            st.setObject(7, t0);
            st.executeUpdate();
        }
    }

    private static long task(Connection c, Case k) throws SQLException {
        String sql = """
                INSERT INTO job_tasks (uuid, owner_uuid, modified_at, job_uuid, sequence, parameters, output, progress, success,
                    created_at, updated_at, qsequence, started_at, finished_at)
                VALUES (?, 'zzzzz-tpzed-000000000000000', ?, ?, 1, ?, ?, ?, ?, ?, ?, nextval('job_tasks_qsequence_seq'), ?, ?)
                RETURNING id
                """;
        LocalDateTime t0 = LocalDateTime.of(2016, 3, 1, 12, 0, 1);
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, k.uuid());
            st.setObject(2, t0);
            st.setString(3, k.jobUuid());
            st.setString(4, k.parameters());
            st.setString(5, k.output());
            st.setDouble(6, k.success() == null ? 0.5 : 1.0);
            st.setObject(7, k.success());
            st.setObject(8, t0);
            st.setObject(9, t0);
            st.setObject(10, t0);
            st.setObject(11, k.success() == null ? null : t0.plusSeconds(3));
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One manifest stream of many block locators: a task output of about {@code bytes} bytes. */
    private static String hugeManifest(int bytes) {
        StringBuilder m = new StringBuilder(bytes + 64).append('.');
        for (int i = 0; m.length() < bytes; i++) {
            m.append(' ').append(String.format("%032x", i)).append("+67108864");
        }
        return m.append(" 0:1:out.txt\n").toString();
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
