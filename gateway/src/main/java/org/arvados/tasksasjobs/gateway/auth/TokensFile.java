package org.arvados.tasksasjobs.gateway.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.arvados.tasksasjobs.mapping.UuidMapping;

/**
 * Tokens from a file given to {@code serve}, for databases that do not carry Arvados's users tables (a copy
 * made for the migration, say). One token a line: {@code <token> <user_uuid> [admin]}; blank lines and lines
 * starting with {@code #} are ignored. Every user listed is active and every token unrestricted: the file is
 * the operator's own statement of who may call. Read once at start; immutable.
 */
public final class TokensFile implements TokenSource {

    private static final String FORMAT = "expected \"<token> <user_uuid> [admin]\"";

    private final Map<String, TokenOwner> ownersByToken;

    private TokensFile(Map<String, TokenOwner> ownersByToken) {
        this.ownersByToken = Map.copyOf(ownersByToken);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException for the first malformed line, naming the file and the line number but
     *         never the token
     */
    public static TokensFile read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** As {@link #read}, over lines already read; {@code source} names them in messages. */
    static TokensFile parse(String source, List<String> lines) {
        Map<String, TokenOwner> owners = new HashMap<>();
        Map<String, Integer> lineOfToken = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length < 2 || fields.length > 3) {
                throw malformed(source, lineNumber, FORMAT);
            }
            if (!UuidMapping.isWellFormed(fields[1])) {
                throw malformed(source, lineNumber, "the user uuid is not of the form xxxxx-xxxxx-xxxxxxxxxxxxxxx");
            }
            if (fields.length == 3 && !fields[2].equals("admin")) {
                throw malformed(source, lineNumber, "the third field may only be \"admin\"");
            }
            Integer earlier = lineOfToken.putIfAbsent(fields[0], lineNumber);
            if (earlier != null) {
                throw malformed(source, lineNumber, "the token is already given on line " + earlier);
            }
            owners.put(fields[0], new TokenOwner(fields[1], fields.length == 3, true, Scopes.ALL));
        }
        return new TokensFile(owners);
    }

    private static IllegalArgumentException malformed(String source, int lineNumber, String why) {
        // The line itself is never quoted: it holds a token.
        return new IllegalArgumentException("tokens file " + source + ", line " + lineNumber + ": " + why);
    }

    /** How many tokens the file holds: for the start-up line, which names no token. */
    public int size() {
        return ownersByToken.size();
    }

    @Override
    public Optional<TokenOwner> find(String token) {
        // A file lists secrets only, so of a v2 token only the secret can be checked.
        return Optional.ofNullable(ownersByToken.get(PresentedToken.parse(token).secret()));
    }
}
