package org.arvados.tasksasjobs.gateway.tasks;

import java.util.Set;

/** What a column of jobs holds: decides how it is read, rendered, and which filter operators it allows. */
enum ColumnType {
    UUID(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike", "is_a")),
    TEXT(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in", "like", "ilike")),
    // A serialized hash: only text search over its stored form makes sense (as TaskFilters allows for parameters).
    SERIALIZED(Set.of("like", "ilike")),
    INTEGER(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in")),
    FLOAT(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in")),
    TIME(Set.of("=", "!=", "<", "<=", ">", ">=", "in", "not in")),
    BOOLEAN(Set.of("=", "!=", "in", "not in"));

    final Set<String> operators;

    ColumnType(Set<String> operators) {
        this.operators = operators;
    }
}
