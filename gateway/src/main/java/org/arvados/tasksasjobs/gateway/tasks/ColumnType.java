package org.arvados.tasksasjobs.gateway.tasks;

/**
 * What a column of jobs holds: decides how it is read and rendered, and (through {@link JobFilters}) which filter
 * operators it allows.
 */
enum ColumnType {
    UUID,
    TEXT,
    /** A serialized hash (JSON or YAML text), rendered as an object. */
    SERIALIZED,
    INTEGER,
    FLOAT,
    TIME,
    BOOLEAN
}
