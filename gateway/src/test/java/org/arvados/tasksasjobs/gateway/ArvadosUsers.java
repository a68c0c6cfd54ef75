package org.arvados.tasksasjobs.gateway;

import org.arvados.tasksasjobs.sql.SqlText;

/**
 * The users and tokens every gateway test can rely on: the columns of {@code users} and
 * {@code api_client_authorizations} the gateway reads (docs/arvados.md §7), and one person per case.
 */
public final class ArvadosUsers {

    /** The cluster's system user, which every Arvados database has: the gateway reads the uuid prefix off it. */
    public static final String SYSTEM_USER = "zzzzz-tpzed-000000000000000";
    public static final String ALICE = "zzzzz-tpzed-alice0000000001";
    public static final String BOB = "zzzzz-tpzed-bob000000000002";
    public static final String ADMIN = "zzzzz-tpzed-admin0000000003";
    /** A user whose account is disabled. */
    public static final String CAROL = "zzzzz-tpzed-carol0000000004";

    public static final String ALICE_TOKEN = "alicetoken0123456789abcdefghijklmnopqrstuvwxyz0123";
    public static final String BOB_TOKEN = "bobtoken0123456789abcdefghijklmnopqrstuvwxyz012345";
    public static final String ADMIN_TOKEN = "admintoken0123456789abcdefghijklmnopqrstuvwxyz0123";
    /** Alice's, expired yesterday. */
    public static final String EXPIRED_TOKEN = "expiredtoken0123456789abcdefghijklmnopqrstuvwxyz01";
    /** Carol's: valid, but her account is inactive. */
    public static final String INACTIVE_TOKEN = "inactivetoken0123456789abcdefghijklmnopqrstuvwxyz0";
    /** Alice's, allowed to read single tasks only (a method-and-path-prefix scope). */
    public static final String TASK_READER_TOKEN = "taskreadertoken0123456789abcdefghijklmnopqrstuvwxy";
    /** The uuid of Alice's {@link #ALICE_TOKEN} row, for its v2 form {@code v2/<uuid>/<token>}. */
    public static final String ALICE_TOKEN_UUID = "zzzzz-gj3su-alicetoken00001";
    /** Alice's, scoped to collections only. */
    public static final String SCOPED_TOKEN = "scopedtoken0123456789abcdefghijklmnopqrstuvwxyz012";

    static final String SCHEMA = """
            CREATE TABLE users (
                id serial PRIMARY KEY,
                uuid varchar(255) NOT NULL UNIQUE,
                is_admin boolean,
                is_active boolean DEFAULT false
            );
            CREATE TABLE api_client_authorizations (
                id serial PRIMARY KEY,
                uuid varchar(255) UNIQUE,
                api_token varchar(255) NOT NULL UNIQUE,
                api_client_id integer,
                user_id integer NOT NULL,
                expires_at timestamp without time zone,
                scopes text DEFAULT '---
            - all
            '
            );
            """ + SqlText.load(SqlText.class, "arvados-permission-tables.sql");

    static final String ROWS = """
            INSERT INTO users (id, uuid, is_admin, is_active) VALUES
                (1, '%s', false, true),
                (2, '%s', false, true),
                (3, '%s', true, true),
                (4, '%s', false, false),
                (5, '%s', true, true);
            INSERT INTO api_client_authorizations (uuid, api_token, user_id, expires_at, scopes) VALUES
                ('%s', '%s', 1, NULL, E'---\\n- all\\n'),
                (NULL, '%s', 2, now() AT TIME ZONE 'UTC' + interval '1 day', '["all"]'),
                (NULL, '%s', 3, NULL, NULL),
                (NULL, '%s', 1, now() AT TIME ZONE 'UTC' - interval '1 day', '["all"]'),
                (NULL, '%s', 4, NULL, '["all"]'),
                (NULL, '%s', 1, NULL, '["GET /arvados/v1/collections"]'),
                (NULL, '%s', 1, NULL, '["GET /arvados/v1/job_tasks/"]');
            """.formatted(ALICE, BOB, ADMIN, CAROL, SYSTEM_USER,
            ALICE_TOKEN_UUID, ALICE_TOKEN, BOB_TOKEN, ADMIN_TOKEN, EXPIRED_TOKEN, INACTIVE_TOKEN, SCOPED_TOKEN,
            TASK_READER_TOKEN);

    private ArvadosUsers() {
    }
}
