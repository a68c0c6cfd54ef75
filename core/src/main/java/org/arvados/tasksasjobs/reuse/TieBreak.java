package org.arvados.tasksasjobs.reuse;

/**
 * How candidates with equal state and created_at are ordered, by id. Arvados ordered candidates by
 * {@code state desc, created_at} only, so among ties PostgreSQL's row order decided; the verifier evaluates a
 * baseline once with each and calls a probe whose outcome differs noise (its decision rested on such a tie).
 */
public enum TieBreak {
    /** Lower id first. */
    ASC,
    /** Higher id first. */
    DESC;

    /** The SQL ordering keyword. */
    String sql() {
        return this == ASC ? "ASC" : "DESC";
    }
}
