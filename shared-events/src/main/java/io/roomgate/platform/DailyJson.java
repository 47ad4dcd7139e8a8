package io.roomgate.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Strict reading of individual JSON values in Daily's request bodies. */
public final class DailyJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private DailyJson() {
    }

    public static Long optionalLong(String key, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiException.invalidRequest(key + " must be an integer");
        }
        return v.longValue();
    }

    public static boolean bool(String key, JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw ApiException.invalidRequest(key + " must be true or false");
        }
        return v.booleanValue();
    }

    public static String optionalString(String key, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.invalidRequest(key + " must be a string");
        }
        return v.textValue();
    }

    /** A JSON value as plain Java (maps, lists, strings, numbers, booleans) for storing in an event. */
    public static Object plain(JsonNode v) {
        return MAPPER.convertValue(v, Object.class);
    }

    /** A caller's string made safe to quote back in an error: printable, short. */
    public static String printable(String s) {
        String cleaned = s.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
