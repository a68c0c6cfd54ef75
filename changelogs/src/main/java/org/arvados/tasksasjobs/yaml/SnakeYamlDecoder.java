package org.arvados.tasksasjobs.yaml;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.arvados.tasksasjobs.mapping.UnparseableHashException;
import org.arvados.tasksasjobs.mapping.YamlDecoder;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.Construct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Decodes the YAML that the API server's Psych wrote into serialized hash columns before March
 * 2017, accepting what Arvados' safe load accepted and refusing the rest:
 * <ul>
 *   <li>SnakeYAML's {@link SafeConstructor} only: no arbitrary classes, no global tags;</li>
 *   <li>{@code !ruby/hash:ActiveSupport::HashWithIndifferentAccess} (what Rails params dumped as)
 *       is a plain map;</li>
 *   <li>{@code !binary} is accepted when its bytes are UTF-8 text, and becomes that String;</li>
 *   <li>timestamps and dates ({@code 2017-01-02}) are refused, as Psych.safe_load refuses them;
 *       so are other {@code !ruby/...} tags and {@code !!set}, {@code !!omap}, {@code !!pairs};</li>
 *   <li>{@code :sym} values and {@code :key:} keys stay strings with their colon;</li>
 *   <li>at most {@value #MAX_ALIASES} aliases to collections, and aliases may not expand the
 *       document by more than {@value #MAX_ALIAS_EXPANSION} values (billion laughs);</li>
 *   <li>duplicate keys: the last wins, as in Psych.</li>
 * </ul>
 * Results: {@code LinkedHashMap}, {@code ArrayList}, String, Boolean, null, Long or BigInteger,
 * Double. Every refusal is an {@link UnparseableHashException} with a one-line message.
 * Thread-safe: each call builds its own constructor and parser (SnakeYAML's are not); the resolver is only read.
 */
public final class SnakeYamlDecoder implements YamlDecoder {

    static final int MAX_ALIASES = 50;
    static final int MAX_ALIAS_EXPANSION = 100_000;
    static final String TIMESTAMP_REFUSED = "YAML timestamp: Psych.safe_load refuses dates";

    private static final String GLOBAL_TAG_PROBLEM = "Global tag is not allowed:";
    private static final Tag INDIFFERENT_HASH = new Tag("!ruby/hash:ActiveSupport::HashWithIndifferentAccess");
    private static final Tag PSYCH_BINARY = new Tag("!binary");

    /** Read only once built; SnakeYAML only reads them while it loads. */
    private final LoaderOptions options;
    private final Resolver resolver;

    public SnakeYamlDecoder() {
        options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(MAX_ALIASES);
        // The text is already in memory; SnakeYAML's default 3 MB cap would refuse long input lists.
        options.setCodePointLimit(Integer.MAX_VALUE);
        resolver = new Resolver();
    }

    @Override
    public Object decode(String yaml) throws UnparseableHashException {
        Object loaded;
        try {
            loaded = load(yaml);
        } catch (Refused e) {
            throw new UnparseableHashException(e.getMessage());
        } catch (MarkedYAMLException e) {
            Refused refused = refusal(e);
            if (refused != null) {
                throw new UnparseableHashException(refused.getMessage());
            }
            String problem = firstLine(e.getProblem());
            if (problem.startsWith(GLOBAL_TAG_PROBLEM)) {
                // SnakeYAML's tag inspector, before any constructor: same refusal as for local tags.
                throw new UnparseableHashException(
                        "YAML tag " + problem.substring(GLOBAL_TAG_PROBLEM.length()).strip() + " is not allowed (Psych.safe_load refuses it)", e);
            }
            // The context says what was being parsed ("expected a single document in the stream").
            String context = e.getContext() == null ? "" : firstLine(e.getContext()) + ", ";
            throw new UnparseableHashException("malformed YAML: " + context + problem + at(e.getProblemMark()), e);
        } catch (YAMLException e) {
            Refused refused = refusal(e);
            if (refused != null) {
                throw new UnparseableHashException(refused.getMessage());
            }
            throw new UnparseableHashException("malformed YAML: " + firstLine(e.getMessage()), e);
        }
        return new Plain(yaml.length() + MAX_ALIAS_EXPANSION).convert(loaded);
    }

    /**
     * What {@code new Yaml(constructor).load(yaml)} does, without building a Yaml: its representer and a resolver
     * per call were about a twentieth of the backfill's Java samples (docs/benchmarks.md). The constructor holds
     * the document's state, so each call has its own.
     */
    private Object load(String yaml) {
        PsychSafeConstructor constructor = new PsychSafeConstructor(options);
        constructor.setComposer(new Composer(new ParserImpl(new StreamReader(yaml), options), resolver, options));
        return constructor.getSingleData(Object.class);
    }

    /** A refusal raised by one of our constructs, possibly wrapped by SnakeYAML. */
    private static Refused refusal(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof Refused refused) {
                return refused;
            }
        }
        return null;
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no detail)";
        }
        String trimmed = message.strip();
        int end = trimmed.indexOf('\n');
        return (end < 0 ? trimmed : trimmed.substring(0, end)).strip();
    }

    /** Thrown by our constructs; its message is the whole one-line reason. */
    private static final class Refused extends YAMLException {
        Refused(String message) {
            super(message);
        }
    }

    private static Construct refuse(String message) {
        return new AbstractConstruct() {
            @Override
            public Object construct(Node node) {
                throw new Refused(message);
            }
        };
    }

    /** SafeConstructor with Psych's and Rails' tags mapped to what Arvados' safe load accepted. */
    private static final class PsychSafeConstructor extends SafeConstructor {

        PsychSafeConstructor(LoaderOptions options) {
            super(options);
            yamlConstructors.put(INDIFFERENT_HASH, yamlConstructors.get(Tag.MAP));
            Construct binary = new Utf8Binary();
            yamlConstructors.put(Tag.BINARY, binary);
            yamlConstructors.put(PSYCH_BINARY, binary);
            yamlConstructors.put(Tag.TIMESTAMP, refuse(TIMESTAMP_REFUSED));
            // Psych loads these as Ruby classes that safe_load does not permit.
            yamlConstructors.put(Tag.SET, refuse("YAML !!set is not a plain hash or list"));
            yamlConstructors.put(Tag.OMAP, refuse("YAML !!omap is not a plain hash or list"));
            yamlConstructors.put(Tag.PAIRS, refuse("YAML !!pairs is not a plain hash or list"));
            // Every other tag (!ruby/object:..., !ruby/struct:..., !ruby/sym ...).
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    throw new Refused("YAML tag " + node.getTag().getValue() + " is not allowed (Psych.safe_load refuses it)");
                }
            });
        }

        private static final class Utf8Binary extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                if (!(node instanceof ScalarNode scalar)) {
                    throw new Refused("YAML !binary must be a scalar");
                }
                byte[] bytes;
                try {
                    // Psych wraps base64 over lines; the strict decoder then refuses any other stray character.
                    bytes = Base64.getDecoder().decode(scalar.getValue().replaceAll("\\s", ""));
                } catch (IllegalArgumentException e) {
                    throw new Refused("YAML !binary is not valid base64");
                }
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
                } catch (CharacterCodingException e) {
                    throw new Refused("YAML !binary holds bytes that are not UTF-8 text");
                }
            }
        }
    }

    /**
     * Copies the loaded value into plain shapes, counting values so that aliases cannot blow it up,
     * and refusing a collection that contains itself (an alias inside its own anchor).
     */
    private static final class Plain {

        private final long limit;
        private long count;
        private final Set<Object> path = Collections.newSetFromMap(new IdentityHashMap<>());

        Plain(long limit) {
            this.limit = limit;
        }

        Object convert(Object value) throws UnparseableHashException {
            if (++count > limit) {
                throw new UnparseableHashException("YAML aliases expand to more than " + limit + " values");
            }
            if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                    || value instanceof BigInteger || value instanceof Double) {
                return value;
            }
            if (value instanceof Integer number) {
                return number.longValue();
            }
            if (value instanceof Map<?, ?> || value instanceof List<?>) {
                if (!path.add(value)) {
                    throw new UnparseableHashException("YAML value contains itself through an alias");
                }
                try {
                    if (value instanceof Map<?, ?> map) {
                        Map<Object, Object> copy = new LinkedHashMap<>();
                        for (Map.Entry<?, ?> entry : map.entrySet()) {
                            copy.put(convert(entry.getKey()), convert(entry.getValue()));
                        }
                        return copy;
                    }
                    List<Object> copy = new ArrayList<>();
                    for (Object element : (List<?>) value) {
                        copy.add(convert(element));
                    }
                    return copy;
                } finally {
                    path.remove(value);
                }
            }
            throw new UnparseableHashException("YAML value of type " + value.getClass().getSimpleName() + " is not plain data");
        }
    }
}
