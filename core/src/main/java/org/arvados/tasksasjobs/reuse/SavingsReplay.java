package org.arvados.tasksasjobs.reuse;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What task reuse would have saved, replayed from history (docs/architecture.md "What reuse would have saved"). Fed
 * every task in creation order, once: a task is reusable when, at its creation, Complete twins of its identity had
 * finished (finished_at <= its created_at) and the reuse rules ({@link CompleteTwins}) would take one. A task never
 * finds itself: tasks created at the same instant are judged together, before any of them counts as a twin. Its
 * saving is its own run time. Memory is one small entry per identity with a usable twin, plus the Complete tasks
 * still running at the replay's instant; never the tasks themselves.
 */
public final class SavingsReplay {

    /** Twins seen so far of one identity: the rule's state, and whether they span more than one job. */
    private static final class Twins {
        final CompleteTwins<Long> complete = new CompleteTwins<>();
        long job;
        boolean manyJobs;
    }

    private static final String TWIN = ""; // the chosen twin's uuid is not reported: one shared string for all

    private final Set<String> impureScripts;
    private final LocalDateTime since;
    private final LocalDateTime until;
    private final Map<TaskIdentity, Twins> twins = new HashMap<>();
    private final PriorityQueue<TaskRun> running = new PriorityQueue<>(
            (a, b) -> a.finishedAt().compareTo(b.finishedAt()));
    private final List<TaskRun> instant = new ArrayList<>();
    private final SavingsReport.Builder report = new SavingsReport.Builder();
    private LocalDateTime now;

    /**
     * @param impureScripts scripts whose tasks are reported apart and never counted as savings
     * @param since         count tasks created at or after this instant (null: from the start)
     * @param until         count tasks created before this instant (null: to the end); twins are looked for in
     *                      the whole history whatever the range
     */
    public SavingsReplay(Set<String> impureScripts, LocalDateTime since, LocalDateTime until) {
        this.impureScripts = Set.copyOf(impureScripts);
        this.since = since;
        this.until = until;
    }

    /** The next task; created_at must not go back. */
    public void accept(TaskRun task) {
        Objects.requireNonNull(task, "task");
        if (now != null && task.createdAt().isBefore(now)) {
            throw new IllegalArgumentException("tasks must come in creation order: " + task.uuid() + " was created at "
                    + task.createdAt() + ", before " + now);
        }
        if (!task.createdAt().equals(now)) {
            judgeInstant();
            now = task.createdAt();
        }
        instant.add(task);
    }

    /** The report, once every task was given. */
    public SavingsReport finish() {
        judgeInstant();
        return report.build();
    }

    private void judgeInstant() {
        if (instant.isEmpty()) {
            return;
        }
        // Twins that finished by now count, then everything created now is judged, then joins those running.
        while (!running.isEmpty() && !running.peek().finishedAt().isAfter(now)) {
            finished(running.poll());
        }
        for (TaskRun task : instant) {
            judge(task);
        }
        for (TaskRun task : instant) {
            if (task.completeCandidate()) {
                if (task.finishedAt().isAfter(now)) {
                    running.add(task);
                } else {
                    finished(task); // finished no later than created (clock skew): a twin from the next instant on
                }
            }
        }
        instant.clear();
    }

    private void finished(TaskRun task) {
        Twins seen = twins.computeIfAbsent(task.identity(), identity -> new Twins());
        seen.complete.accept(TWIN, task.output() == null ? null : key(task.output()), task.log());
        if (task.output() != null && task.log() != null) {
            long job = key(task.jobUuid());
            if (seen.job == 0) {
                seen.job = job;
            } else if (seen.job != job) {
                seen.manyJobs = true;
            }
        }
    }

    private void judge(TaskRun task) {
        if (since != null && task.createdAt().isBefore(since) || until != null && !task.createdAt().isBefore(until)) {
            return;
        }
        String script = task.script();
        boolean impure = impureScripts.contains(script);
        SavingsReport.Kind kind;
        Twins seen = twins.get(task.identity());
        if (impure) {
            kind = SavingsReport.Kind.IMPURE;
        } else if (seen == null || seen.complete.chosen() == null) {
            kind = SavingsReport.Kind.NOT_REUSABLE;
        } else if (seen.manyJobs || seen.job != key(task.jobUuid())) {
            kind = SavingsReport.Kind.FROM_OTHER_JOBS;
        } else {
            kind = SavingsReport.Kind.WITHIN_JOB;
        }
        report.add(script, YearMonth.from(task.createdAt()), task.runMicros(), kind);
    }

    /** 64 bits of a text's MD5: equal exactly when the texts are, but for odds of 2^-64. */
    private static long key(String text) {
        try {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            long key = java.nio.ByteBuffer.wrap(md5).getLong();
            return key == 0 ? 1 : key; // 0 means "no job yet"
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
