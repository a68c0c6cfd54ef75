package org.arvados.tasksasjobs.verification;

/**
 * How a column value appears inside a one-line difference: quoted, with line breaks and control characters escaped
 * (a YAML-era parameters value spans lines; a report line must not), and long text cut short. Non-ASCII text is kept
 * as it is: reports are written as UTF-8.
 */
final class Shown {

    static final int MAX_CHARS = 80;

    private Shown() {
    }

    /** A uuid as it is when it looks like one (the common case, easy to copy); otherwise quoted like any value. */
    static String uuid(String uuid) {
        return uuid != null && uuid.matches("[0-9a-zA-Z_-]+") ? uuid : value(uuid);
    }

    static String value(String value) {
        if (value == null) {
            return "NULL";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_CHARS) + 16).append('\'');
        int shown = 0;
        int i = 0;
        while (i < value.length() && shown < MAX_CHARS) {
            int cp = value.codePointAt(i);
            i += Character.charCount(cp);
            shown++;
            switch (cp) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                default -> {
                    if (needsEscape(cp)) {
                        out.append(String.format("\\u%04x", cp));
                    } else {
                        out.appendCodePoint(cp);
                    }
                }
            }
        }
        out.append('\'');
        if (i < value.length()) {
            out.append("... (").append(value.codePointCount(0, value.length())).append(" chars)");
        }
        return out.toString();
    }

    /** Characters that would break a line, or an XML 1.0 document, or that a reader could not see. */
    static boolean needsEscape(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp <= 0xffff && Character.isSurrogate((char) cp))
                || cp == 0x2028 || cp == 0x2029 || cp == 0xfffe || cp == 0xffff;
    }
}
