package org.arvados.tasksasjobs.mapping;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict JSON to plain values, read token by token rather than through databind so that every
 * choice is ours and matches what the API server's Ruby parser did: duplicate keys last-wins
 * (keeping the first position, as a Ruby Hash does), integers as Long or BigInteger, decimals as
 * Double, keys in insertion order. Anything {@link CanonicalJson} could not write back is refused
 * here (numbers beyond double range, strings with unpaired surrogates), so a parsed hash always
 * has a canonical form.
 */
final class JsonText {

    // Task parameters can be large (long input lists); Jackson's default string cap is 20M chars.
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private JsonText() {}

    static Object parse(String text) throws UnparseableHashException {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new UnparseableHashException("invalid JSON: no value");
            }
            Object value = readValue(parser, first);
            if (parser.nextToken() != null) {
                throw new UnparseableHashException(
                        "invalid JSON: text continues after the value" + at(parser.currentTokenLocation()));
            }
            return value;
        } catch (JsonProcessingException e) {
            throw new UnparseableHashException(
                    "invalid JSON: " + PlainValues.firstLine(e.getOriginalMessage()) + at(e.getLocation()), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from a String", e);
        }
    }

    private static Object readValue(JsonParser parser, JsonToken token)
            throws IOException, UnparseableHashException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> hash = new LinkedHashMap<>();
                String key;
                while ((key = parser.nextFieldName()) != null) {
                    PlainValues.requireWellFormed(key);
                    hash.put(key, readValue(parser, parser.nextToken()));
                }
                return hash;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(readValue(parser, next));
                }
                return array;
            }
            case VALUE_STRING:
                return PlainValues.requireWellFormed(parser.getText());
            case VALUE_NUMBER_INT:
                return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue()
                        : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT: {
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    throw new UnparseableHashException("number " + parser.getText() + " is beyond the range of a double");
                }
                return value;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new UnparseableHashException("invalid JSON: unexpected " + token + at(parser.currentTokenLocation()));
        }
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
