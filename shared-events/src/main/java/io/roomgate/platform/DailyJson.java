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
