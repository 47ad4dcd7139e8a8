package io.roomgate.edge;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.events.MeetingTokenClaims;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Daily's meeting-token {@code properties}: read from a create request, written by validation. */
public final class DailyTokens {

    /** Every token property of Daily's OpenAPI document (v1.1.1). */
    public static final Set<String> DAILY_PROPERTIES = Set.of("auto_start_transcription", "close_tab_on_exit",
            "eject_after_elapsed", "eject_at_token_exp", "enable_live_captions_ui", "enable_prejoin_ui",
            "enable_recording", "enable_recording_ui", "enable_screenshare", "enable_terse_logging", "exp",
            "is_owner", "knocking", "lang", "nbf", "permissions", "redirect_on_meeting_exit", "room_name",
            "start_audio_off", "start_cloud_recording", "start_cloud_recording_opts", "start_video_off",
            "user_id", "user_name");

    /** The most characters a token's free-form properties (permissions and the rest) may take as JSON. */
    public static final int MAX_STORED_PROPERTIES = 4_096;

    private DailyTokens() {
    }

    public static MeetingTokenClaims claims(JsonNode properties) {
        if (properties == null || properties.isNull()) {
            throw ApiException.invalidRequest("properties is required");
        }
        if (!properties.isObject()) {
            throw ApiException.invalidRequest("properties must be an object");
        }
        Map<String, Object> other = new LinkedHashMap<>();
        Map<String, Object> permissions = Map.of();
        var fields = properties.fields();
        while (fields.hasNext()) {
            var f = fields.next();
            String key = f.getKey();
            if (!DAILY_PROPERTIES.contains(key)) {
                throw ApiException.invalidRequest("unknown token property '" + DailyJson.printable(key) + "'");
            }
            DailyJson.requireEnumerated(key, f.getValue());
            DailyJson.requireShallow(key, f.getValue());
            if ((key.equals("user_name") || key.equals("user_id")) && f.getValue().isTextual()) {
                // what this server issues, it must accept at a join: the join's rules for these
                Text.requireSafe(key, f.getValue().asText(), key.equals("user_id"));
                if (key.equals("user_name") && (f.getValue().asText().isBlank() || f.getValue().asText().length() > 200)) {
                    throw ApiException.invalidRequest("user_name must be 1-200 characters");
                }
            }
            if (key.equals("permissions")) {
                if (!f.getValue().isObject()) {
                    throw ApiException.invalidRequest("permissions must be an object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> p = (Map<String, Object>) DailyJson.plain(f.getValue());
                permissions = p;
            } else if (!Set.of("room_name", "exp", "nbf", "is_owner", "user_name", "user_id", "eject_at_token_exp",
                    "eject_after_elapsed", "knocking").contains(key) && !f.getValue().isNull()) {
                other.put(key, DailyJson.plain(f.getValue()));
            }
        }
        // a token travels in headers and URLs, and the verifier takes at most 8 KiB of it
        DailyJson.requireStoredSize("token properties", java.util.List.of(permissions, other), MAX_STORED_PROPERTIES);
        return new MeetingTokenClaims(
                DailyJson.optionalString("room_name", properties.get("room_name")),
                DailyJson.timestamp("exp", properties.get("exp")),
                DailyJson.timestamp("nbf", properties.get("nbf")),
                DailyJson.bool("is_owner", properties.get("is_owner")),
                DailyJson.optionalString("user_name", properties.get("user_name")),
                DailyJson.optionalString("user_id", properties.get("user_id")),
                DailyJson.bool("eject_at_token_exp", properties.get("eject_at_token_exp")),
                DailyJson.seconds("eject_after_elapsed", properties.get("eject_after_elapsed")),
                DailyJson.bool("knocking", properties.get("knocking")),
                permissions,
                other);
    }

    /** The decoded token as Daily's validation endpoint answers it: long property names. */
    /**
     * A token's properties as Daily's validation answers them: only those set ({@code is_owner}
     * always), by their long names, then the other Daily properties the token carries.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record TokenProperties(String roomName, Long exp, Long nbf, boolean isOwner, String userName, String userId,
                                  Boolean ejectAtTokenExp, Long ejectAfterElapsed, Boolean knocking, Object permissions,
                                  @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> other) {

        /** The other Daily properties, each under its own name. */
        @com.fasterxml.jackson.annotation.JsonAnyGetter
        public Map<String, Object> otherProperties() {
            return other;
        }
    }

    public static TokenProperties properties(MeetingTokenClaims c) {
        Map<String, Object> other = new java.util.LinkedHashMap<>();
        c.other().forEach((k, v) -> {
            if (DAILY_PROPERTIES.contains(k)) {
                other.put(k, v);
            }
        });
        return new TokenProperties(c.roomName(), c.exp(), c.nbf(), c.owner(), c.userName(), c.userId(),
                c.ejectAtTokenExp() ? Boolean.TRUE : null, c.ejectAfterElapsed(), c.knocking() ? Boolean.TRUE : null,
                c.permissions().isEmpty() ? null : c.permissions(), other);
    }
}
