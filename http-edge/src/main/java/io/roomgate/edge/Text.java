package io.roomgate.edge;

/**
 * What no id or name of the API may hold, checked at the edge before any event is stored:
 * control characters (NUL among them, which PostgreSQL refuses in text, so an event carrying one
 * could never be applied to the view), bidirectional-text controls (they make a name display as
 * another), and unpaired surrogates (not text at all). Ids that are addressed in a path (a
 * participant, a user, a member) may not hold {@code /} either.
 */
public final class Text {

    private Text() {
    }

    /** Refuses {@code value} (when present) with a 400 naming {@code field} if it holds a character above. */
    public static void requireSafe(String field, String value, boolean pathAddressed) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || isBidiControl(c)) {
                throw ApiException.invalidRequest(field + " must not contain control or bidirectional-text characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                throw ApiException.invalidRequest(field + " must be valid text (it holds an unpaired surrogate)");
            }
            if (pathAddressed && c == '/') {
                throw ApiException.invalidRequest(field + " must not contain '/'");
            }
        }
    }

    static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
