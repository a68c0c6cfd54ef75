package org.arvados.tasksasjobs.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.arvados.tasksasjobs.gateway.tasks.GatewayException;

/**
 * Reads a request body: at most {@code limit} bytes (more is 413, before anything is parsed), strictly UTF-8,
 * and, for a JSON body, one JSON object (anything else, a duplicate key or trailing text is 422). Strictness
 * keeps an ambiguous body from meaning one thing here and another to the client that sent it.
 */
final class JsonBody {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final long limit;

    JsonBody(long limit) {
        this.limit = limit;
    }

    /** The body as one JSON object. */
    JsonNode read(Request request) throws GatewayException, IOException {
        String text = readText(request);
        if (text.isBlank()) {
            throw new GatewayException(422, "the request body is empty; expected a JSON object");
        }
        return parseObject(text, "the request body");
    }

    /** The body as text: at most the limit, strictly UTF-8. */
    String readText(Request request) throws GatewayException, IOException {
        long declared = request.getLength(); // -1: chunked or absent
        if (declared > limit) {
            throw tooLarge();
        }
        byte[] bytes = readAtMost(Content.Source.asInputStream(request));
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new GatewayException(422, "the request body is not UTF-8");
        }
    }

    /** {@code text} as one JSON object; {@code what} names it in the 422 message. */
    static JsonNode parseObject(String text, String what) throws GatewayException {
        JsonNode value;
        try {
            value = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new GatewayException(422, what + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (value == null || !value.isObject()) {
            throw new GatewayException(422, what + " must be a JSON object");
        }
        return value;
    }

    private byte[] readAtMost(InputStream in) throws IOException, GatewayException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
            if (total > limit) {
                throw tooLarge();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private GatewayException tooLarge() {
        return new GatewayException(413, "the request body is larger than " + limit + " bytes");
    }
}
