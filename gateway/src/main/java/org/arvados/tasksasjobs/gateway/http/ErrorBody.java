package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Arvados's error body, {@code {"errors": ["message"], "error_token": "<epoch seconds>+<8 hex>"}}. The error
 * token is what an operator greps the gateway's stderr for when a user reports a failure; it carries no secret.
 */
final class ErrorBody {

    private final Clock clock;

    ErrorBody(Clock clock) {
        this.clock = clock;
    }

    /** A fresh error token: seconds since the epoch, "+", 32 random bits in hex. */
    String newToken() {
        return clock.instant().getEpochSecond() + "+" + String.format("%08x", ThreadLocalRandom.current().nextInt());
    }

    static ObjectNode of(String message, String errorToken) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putArray("errors").add(oneLine(message));
        body.put("error_token", errorToken);
        return body;
    }

    /** Messages are one line by protocol; a multi-line one (from a driver, say) is folded rather than cut. */
    private static String oneLine(String message) {
        String text = message == null || message.isBlank() ? "error" : message.strip();
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
