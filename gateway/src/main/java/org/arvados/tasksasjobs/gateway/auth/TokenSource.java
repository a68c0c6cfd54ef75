package org.arvados.tasksasjobs.gateway.auth;

import java.sql.SQLException;
import java.util.Optional;

/** Where the gateway looks tokens up: the database's own tables, or a tokens file given to {@code serve}. */
public interface TokenSource {

    /**
     * The holder of {@code token}, or empty when the token is unknown or has expired (both are 401 to a
     * client, and telling them apart would only help someone guessing tokens).
     *
     * @throws SQLException when the database cannot be asked
     */
    Optional<TokenOwner> find(String token) throws SQLException;
}
