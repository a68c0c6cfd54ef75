package org.arvados.tasksasjobs.verification;

import java.util.ArrayList;
import java.util.List;

/** Counts what a check found wrong and keeps the first few descriptions: a report names rows, it does not list millions. */
final class Differences {

    static final int FIRST = 20;

    private long count;
    private final List<String> first = new ArrayList<>();

    /** One more difference. */
    void add(String line) {
        add(1, line);
    }

    /** {@code n} differences described by one line (rows that share a description, such as NULL uuids). */
    void add(long n, String line) {
        count += n;
        describe(line);
    }

    /** Differences counted elsewhere (in SQL) whose descriptions come one by one. */
    void count(long n) {
        count += n;
    }

    /** A description of a difference already counted. */
    void describe(String line) {
        if (first.size() < FIRST) {
            first.add(line);
        }
    }

    long count() {
        return count;
    }

    List<String> first() {
        return List.copyOf(first);
    }
}
