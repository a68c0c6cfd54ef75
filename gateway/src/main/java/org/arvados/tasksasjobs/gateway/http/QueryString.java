package org.arvados.tasksasjobs.gateway.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.arvados.tasksasjobs.shim.TextRules;

/**
 * Decodes a raw query string or form body ({@code application/x-www-form-urlencoded}: {@code +} is a space,
 * {@code %XX} a byte, the bytes UTF-8). A name given twice keeps its last value, as Rails did. Written here
 * rather than with {@code URLDecoder} because that one silently replaces malformed UTF-8 and throws an unchecked
 * exception on a bad escape; a client sending either gets a 422 naming the parameter.
 */
final class QueryString {

    private QueryString() {
    }

    static Map<String, String> decode(String raw) throws GatewayException {
        return decode(raw, "the query string");
    }

    /** As {@link #decode(String)}; {@code source} names the text in messages ("the request body"). */
    static Map<String, String> decode(String raw, String source) throws GatewayException {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return parameters;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = component(eq < 0 ? pair : pair.substring(0, eq), "a parameter name", source);
            String value = eq < 0 ? "" : component(pair.substring(eq + 1), "parameter " + name, source);
            parameters.put(name, value);
        }
        return parameters;
    }

    static String component(String text, String what, String source) throws GatewayException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '+') {
                bytes.write(' ');
            } else if (ch == '%') {
                int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new GatewayException(422, "malformed %-escape in " + what + " of " + source);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                // Raw characters outside ASCII are not legal in a URI, but some clients send them: keep them.
                byte[] encoded = String.valueOf(ch).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(ch) && i + 1 < text.length()) {
                    encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(encoded, 0, encoded.length);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new GatewayException(422, what + " of " + source + " is not UTF-8");
        }
        String problem = TextRules.problem(decoded);
        if (problem != null) {
            throw new GatewayException(422, what + " of " + source + " " + problem);
        }
        return decoded;
    }
}
