package org.arvados.tasksasjobs.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Writes realistic synthetic crunch v1 data into the {@code jobs} and {@code job_tasks} tables of the Arvados baseline
 * schema: what {@link SeedSpec} asks for, exactly reproducible from it.
 *
 * <p>Rows stream through two COPY operations, jobs then tasks, in one transaction; each job is planned from its own
 * random stream (see {@link Draws}), so the tasks pass re-plans a job instead of remembering it and memory stays
 * flat however many rows are written. The tables must be empty: the surrogate ids are then assigned in a fixed order
 * and the whole database content is byte-identical for the same spec.
 *
 * <p>Tasks come to about jobs × tasksPerJob: every job that ran has one sequence-0 task plus tasksPerJob − 1 ± 25%
 * tasks it fanned out to, and 8% of them one or two failed sequence-0 tasks of earlier runs; queued jobs and jobs
 * cancelled before they started have at most one task; a dirty seed adds its planted rows on top.
 */
public final class SeedGenerator {

    private final SeedSpec spec;

    public SeedGenerator(SeedSpec spec) {
        this.spec = spec;
    }

    /**
     * Seeds the database behind {@code connection}, which must hold the baseline schema with both tables empty.
     * Commits on success, rolls back on failure, and gives the connection back in its auto-commit mode.
     *
     * @throws IllegalStateException when jobs or job_tasks already hold rows
     */
    public SeedSummary writeTo(Connection connection) throws SQLException {
        requireEmpty(connection);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            SeedSummary summary = write(connection);
            connection.commit();
            return summary;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private SeedSummary write(Connection connection) throws SQLException {
        Draws draws = new Draws(spec.seed());
        Catalog catalog = new Catalog(draws);
        Plants plants = new Plants(spec);
        JobPlanner planner = new JobPlanner(spec, draws, catalog, plants);
        Kind.Tally tally = new Kind.Tally();

        long jobs;
        try (CopyRows out = new CopyRows(connection, "jobs", JobRows.COLUMNS)) {
            JobRows rows = new JobRows(out, tally, catalog.dispatcher);
            for (int i = 0; i < spec.jobs(); i++) {
                rows.write(planner.plan(i));
            }
            out.finish();
            jobs = out.rows();
        }
        long tasks;
        long maxQsequence;
        try (CopyRows out = new CopyRows(connection, "job_tasks", TaskRows.COLUMNS)) {
            // crunch-job wrote tasks with the dispatcher's API client.
            TaskRows rows = new TaskRows(draws, plants, spec.jobs(), out, tally, catalog.clients.get(0));
            for (int i = 0; i < spec.jobs(); i++) {
                rows.write(planner.plan(i));
            }
            out.finish();
            tasks = out.rows();
            maxQsequence = rows.maxQsequence();
        }
        if (maxQsequence > 0) {
            // The API server hands out qsequence from this sequence; new tasks must come after the seeded ones.
            try (PreparedStatement st = connection.prepareStatement("SELECT setval('job_tasks_qsequence_seq', ?)")) {
                st.setLong(1, maxQsequence);
                st.execute();
            }
        }
        try (Statement st = connection.createStatement()) {
            // Fresh statistics, so plan and migrate see the real row counts straight away. One table a statement:
            // ANALYZE of a list needs PostgreSQL 11.
            st.execute("ANALYZE jobs");
            st.execute("ANALYZE job_tasks");
        }
        return new SeedSummary(jobs, tasks, tally.toMap());
    }

    private static void requireEmpty(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT EXISTS (SELECT 1 FROM jobs), EXISTS (SELECT 1 FROM job_tasks)")) {
            rs.next();
            if (rs.getBoolean(1) || rs.getBoolean(2)) {
                throw new IllegalStateException("refusing to seed: jobs or job_tasks already holds rows (seed needs empty tables)");
            }
        }
    }
}
