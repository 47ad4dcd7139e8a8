package io.roomgate.edge;

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

    /** The latest instant a timestamp property may name: 9999-12-31T23:59:59Z, in Unix seconds. */
    static final long MAX_TIMESTAMP = 253_402_300_799L;
    /** The longest duration a property may name, in seconds: 100 years. */
    static final long MAX_SECONDS = 3_153_600_000L;
    /** How deeply a free-form property may nest objects and arrays. */
    static final int MAX_DEPTH = 16;

    /** A Unix-seconds timestamp ({@code nbf}, {@code exp}): 0 to the year 9999, so no later arithmetic overflows. */
    public static Long timestamp(String key, JsonNode v) {
        Long t = optionalLong(key, v);
        if (t != null && (t < 0 || t > MAX_TIMESTAMP)) {
            throw ApiException.invalidRequest(key + " must be a Unix time in seconds, not milliseconds, between 0 and " + MAX_TIMESTAMP);
        }
        return t;
    }

    /** A duration in seconds ({@code eject_after_elapsed}): 0 to 100 years. */
    public static Long seconds(String key, JsonNode v) {
        Long t = optionalLong(key, v);
        if (t != null && (t < 0 || t > MAX_SECONDS)) {
            throw ApiException.invalidRequest(key + " must be a number of seconds between 0 and " + MAX_SECONDS);
        }
        return t;
    }

    /** Refuses a free-form value nested more than {@link #MAX_DEPTH} levels deep (the audit API renders it back). */
    public static void requireShallow(String key, JsonNode v) {
        if (depth(v, 0) > MAX_DEPTH) {
            throw ApiException.invalidRequest(key + " nests more than " + MAX_DEPTH + " levels deep");
        }
    }

    private static int depth(JsonNode v, int above) {
        if (v == null || !v.isContainerNode()) {
            return above;
        }
        if (above >= MAX_DEPTH) {
            return above + 1; // deep enough to refuse: stop looking
        }
        int deepest = above + 1;
        for (JsonNode child : v) {
            deepest = Math.max(deepest, depth(child, above + 1));
            if (deepest > MAX_DEPTH) {
                break;
            }
        }
        return deepest;
    }

    /** Refuses free-form properties whose stored JSON would exceed {@code max} characters. */
    public static void requireStoredSize(String what, Object value, int max) {
        try {
            if (MAPPER.writeValueAsString(value).length() > max) {
                throw ApiException.invalidRequest(what + " are too large: at most " + max + " characters as JSON");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.invalidRequest(what + " cannot be stored");
        }
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

    /** Daily's {@code lang} values (room and token properties). */
    static final java.util.List<String> LANGS = java.util.List.of("da", "de", "en", "es", "fi", "fr", "it", "jp", "ka",
            "nl", "no", "pt", "pt-BR", "pl", "ru", "sv", "tr", "user");
    /** Daily's {@code enable_recording} values: one of them, or a list of distinct ones. */
    static final java.util.List<String> RECORDING = java.util.List.of("cloud", "cloud-audio-only", "local", "raw-tracks");

    /**
     * Refuses a value outside the enumeration Daily's OpenAPI document gives the property
     * ({@code lang}, {@code enable_recording}); other properties and null (which clears a room
     * property) pass.
     */
    public static void requireEnumerated(String key, JsonNode v) {
        if (v == null || v.isNull()) {
            return;
        }
        switch (key) {
            case "lang" -> {
                if (!v.isTextual() || !LANGS.contains(v.asText())) {
                    throw ApiException.invalidRequest("lang must be one of " + String.join(", ", LANGS));
                }
            }
            case "enable_recording" -> {
                boolean ok;
                if (v.isTextual()) {
                    ok = RECORDING.contains(v.asText());
                } else if (v.isArray()) {
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    ok = true;
                    for (JsonNode item : v) {
                        ok &= item.isTextual() && RECORDING.contains(item.asText()) && seen.add(item.asText());
                    }
                } else {
                    ok = false;
                }
                if (!ok) {
                    throw ApiException.invalidRequest("enable_recording must be one of " + String.join(", ", RECORDING)
                            + ", or a list of distinct ones");
                }
            }
            default -> {
            }
        }
    }
}
