package org.arvados.tasksasjobs.gateway.tasks;

/**
 * The Arvados permission graph as SQL (docs/arvados.md §7, "Permissions"; the API server's search_permission_graph of
 * 2019): from a user, every uuid it reaches and the level it reaches it at, through permission links
 * ({@code links.link_class = 'permission'}, {@code can_read} 1, {@code can_write} 2, {@code can_manage} 3, tail
 * to head) and through ownership (whoever reaches a group reaches the groups it owns, at the same level). A path's
 * level is the least of its edges'. Reaching a uuid grants it; reaching an owner grants what it owns.
 *
 * <p>One recursive query per request, walking only what the user reaches, by the indexes the API server's schema
 * has ({@code links.tail_uuid}, {@code groups.owner_uuid}); the level bounds the walk, so cycles end.
 */
final class Permissions {

    /** Levels as numbers, and the strongest needed per operation. */
    static final int READ = 1;
    static final int WRITE = 2;
    static final int MANAGE = 3;

    /** {@code perm(target, level)}: every uuid the user ({@code ?}) reaches. */
    static final String REACH = """
            WITH RECURSIVE perm(target, level) AS (
                SELECT CAST(? AS varchar), 3
              UNION
                SELECT e.dst, LEAST(p.level, e.level)
                FROM perm p CROSS JOIN LATERAL (
                    SELECT l.head_uuid AS dst,
                           CASE l.name WHEN 'can_read' THEN 1 WHEN 'can_write' THEN 2 ELSE 3 END AS level
                    FROM links l
                    WHERE l.tail_uuid = p.target AND l.link_class = 'permission'
                      AND l.name IN ('can_read', 'can_write', 'can_manage')
                  UNION ALL
                    SELECT g.uuid, 3 FROM groups g WHERE g.owner_uuid = p.target
                ) e
            )
            """;

    /** The level the user ({@code ?}) has on any of the uuids ({@code ?}, an array): 0 for none. */
    static final String LEVEL = REACH + "SELECT coalesce(max(level), 0) FROM perm WHERE target = ANY(?)";

    /** The uuids the user ({@code ?}) reaches at any level: for a list's condition. */
    static final String READABLE = REACH + "SELECT target FROM perm";

    private Permissions() {
    }
}
