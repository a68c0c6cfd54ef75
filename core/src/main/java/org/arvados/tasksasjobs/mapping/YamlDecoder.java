package org.arvados.tasksasjobs.mapping;

/**
 * Decodes YAML text to plain Java values: maps as {@code LinkedHashMap<String, Object>} (keys may
 * also be other scalars; {@link SerializedHashReader} turns them into strings), {@code List},
 * {@code String}, {@code Boolean}, {@code null}, {@code Long} or {@code BigInteger}, {@code Double}.
 *
 * <p>An interface so that this module needs no YAML parser: script authors link it and never see
 * YAML-era rows. The changelogs module supplies the real decoder.
 */
public interface YamlDecoder {

    /** Decoder for callers without a YAML parser: every YAML row is unparseable. */
    YamlDecoder UNSUPPORTED = yaml -> {
        throw new UnparseableHashException("YAML rows need the changelogs module's decoder");
    };

    Object decode(String yaml) throws UnparseableHashException;
}
