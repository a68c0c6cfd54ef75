package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;
import org.arvados.tasksasjobs.shim.TextRules;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Promise;

/**
 * Reads a request body: at most {@code limit} bytes (a declared length over it is 413 before a byte is read, a
 * chunked body is cut at it), strictly UTF-8, and, for a JSON body, one JSON object (anything else, a duplicate
 * key, trailing text, nesting deeper than {@value #MAX_DEPTH} levels, a NUL or a lone surrogate is 422).
 * Strictness keeps an ambiguous body from meaning one thing here and another to the client that sent it.
 *
 * <p>Bodies are read asynchronously: no request thread waits on a slow client (ReadDeadlines bounds how slow).
 */
final class JsonBody {

    /** Deeper than any task's parameters are nested; a body nested 10,000 deep is refused, not walked. */
    static final int MAX_DEPTH = 100;

    private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final long limit;

    JsonBody(long limit) {
        this.limit = limit;
    }

    /** Whether the request carries a body to read: a declared length above 0, or a chunked one. */
    static boolean present(Request request) {
        return request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }

    /**
     * Reads the body as text and hands it to {@code then}, on whichever thread the last bytes arrive on (one of
     * the server's, which may block), or fails it: a {@link GatewayException} (413, 422) to answer, anything else
     * when the client went away.
     */
    void readText(Request request, Promise<String> then) {
        if (request.getLength() > limit) {
            then.failed(tooLarge());
            return;
        }
        new Reader(request, then).run();
    }

    /** Reads chunks as they come, asking Jetty to call back when none is ready rather than waiting for one. */
    private final class Reader implements Runnable {
        private final Request request;
        private final Promise<String> then;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Reader(Request request, Promise<String> then) {
            this.request = request;
            this.then = then;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    then.failed(chunk.getFailure());
                    return;
                }
                ByteBuffer buffer = chunk.getByteBuffer();
                boolean last = chunk.isLast();
                if (bytes.size() + (long) buffer.remaining() > limit) {
                    chunk.release();
                    then.failed(tooLarge());
                    return;
                }
                byte[] copy = new byte[buffer.remaining()];
                buffer.get(copy);
                bytes.write(copy, 0, copy.length);
                chunk.release();
                if (last) {
                    decode();
                    return;
                }
            }
        }

        private void decode() {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes.toByteArray()))
                        .toString();
            } catch (CharacterCodingException e) {
                then.failed(new GatewayException(422, "the request body is not UTF-8"));
                return;
            }
            then.succeeded(text);
        }
    }

    /** {@code text} as one JSON object; {@code what} names it in the 422 message. */
    static JsonNode parseObject(String text, String what) throws GatewayException {
        if (text.isBlank()) {
            throw new GatewayException(422, what + " is empty; expected a JSON object");
        }
        JsonNode value;
        try {
            value = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            throw new GatewayException(422, what + " is not valid JSON: " + (message.contains("nesting depth")
                    ? "nested deeper than " + MAX_DEPTH + " levels" : message.lines().findFirst().orElse("")));
        }
        if (value == null || !value.isObject()) {
            throw new GatewayException(422, what + " must be a JSON object");
        }
        String problem = TextRules.problem(value);
        if (problem != null) {
            throw new GatewayException(422, what + ": " + problem);
        }
        return value;
    }

    private GatewayException tooLarge() {
        return new GatewayException(413, "the request body is larger than " + limit + " bytes");
    }
}
