package org.arvados.tasksasjobs.shim;

import java.util.regex.Pattern;

/**
 * The paging parameters of a list request ({@code limit}, {@code offset}, {@code count}), read from
 * the query parameters' raw texts as the Arvados API server read them.
 *
 * <p>{@code limit}: a non-negative integer, default {@value #DEFAULT_LIMIT}; a larger one than
 * {@value #MAX_LIMIT} is cut to it, as the server cut it to its MaxItemsPerResponse rather than
 * refusing. {@code offset}: a non-negative integer, default 0. {@code count}: "exact" (default:
 * the list carries items_available) or "none" (it does not, and no count query runs).
 *
 * @param exactCount whether items_available is counted and shown
 */
public record ListParameters(int limit, long offset, boolean exactCount) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Every page starts here when nothing is asked for. */
    public static final ListParameters DEFAULTS = new ListParameters(DEFAULT_LIMIT, 0, true);

    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    public ListParameters {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be in 0.." + MAX_LIMIT + ": " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be non-negative: " + offset);
        }
    }

    /**
     * Reads the raw query-parameter texts; null (or blank) means absent. A value may be quoted as a
     * JSON string ({@code "10"}), as clients that JSON-encode every parameter send it.
     *
     * @throws InvalidTaskRequestException naming the parameter and its value when it is not a
     *     non-negative integer, or when count is neither "exact" nor "none"
     */
    public static ListParameters parse(String limit, String offset, String count) throws InvalidTaskRequestException {
        Long limitValue = nonNegative("limit", limit);
        Long offsetValue = nonNegative("offset", offset);
        int pageSize = limitValue == null ? DEFAULT_LIMIT : (int) Math.min(limitValue, MAX_LIMIT);
        if (offsetValue != null && offsetValue == TOO_LARGE) {
            throw new InvalidTaskRequestException("offset " + shown(offset) + " is too large");
        }
        return new ListParameters(pageSize, offsetValue == null ? 0 : offsetValue, exactCount(count));
    }

    /** What {@link #nonNegative} reads a number of more than 18 digits as: larger than any page or table. */
    private static final long TOO_LARGE = Long.MAX_VALUE;

    /**
     * The value, in time bounded by the text's length and never more than 18 digits converted: a longer number
     * (a million digits, say) is {@link #TOO_LARGE} without being parsed.
     */
    private static Long nonNegative(String name, String text) throws InvalidTaskRequestException {
        String value = unquoted(text);
        if (value == null) {
            return null;
        }
        if (!DIGITS.matcher(value).matches()) {
            throw new InvalidTaskRequestException(name + " must be a non-negative integer, not " + shown(text));
        }
        int first = 0;
        while (first < value.length() - 1 && value.charAt(first) == '0') {
            first++;
        }
        return value.length() - first > 18 ? TOO_LARGE : Long.parseLong(value.substring(first));
    }

    /** A parameter's text in a message: quoted, and cut when long, so an error never echoes a huge request back. */
    private static String shown(String text) {
        return PlainJson.quote(text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }

    private static boolean exactCount(String text) throws InvalidTaskRequestException {
        String value = unquoted(text);
        if (value == null || value.equals("exact")) {
            return true;
        }
        if (value.equals("none")) {
            return false;
        }
        throw new InvalidTaskRequestException("count must be \"exact\" or \"none\", not " + shown(text));
    }

    /** The text without surrounding blanks and one pair of JSON string quotes; null when blank. */
    private static String unquoted(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }
}
