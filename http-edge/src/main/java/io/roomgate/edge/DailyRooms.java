package io.roomgate.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Daily's room JSON: reading {@code properties} of a create or update request, and writing the
 * room object ({@code id, name, api_created, privacy, url, created_at, config}).
 */
public final class DailyRooms {

    /** Every room property of Daily's OpenAPI document (v1.1.1); anything else is a 400. */
    public static final Set<String> DAILY_PROPERTIES = Set.of("auto_transcription_settings", "dialout_config",
            "disable_rtmp_geo_fallback", "eject_after_elapsed", "eject_at_room_exp", "enable_adaptive_simulcast",
            "enable_advanced_chat", "enable_breakout_rooms", "enable_chat", "enable_cpu_warning_notifications",
            "enable_dialout", "enable_emoji_reactions", "enable_hand_raising", "enable_hidden_participants",
            "enable_knocking", "enable_live_captions_ui", "enable_mesh_sfu", "enable_multiparty_adaptive_simulcast",
            "enable_network_ui", "enable_noise_cancellation_ui", "enable_people_ui", "enable_pip_ui",
            "enable_prejoin_ui", "enable_raw_tracks_transcoded_audio", "enable_recording", "enable_screenshare",
            "enable_shared_chat_history", "enable_terse_logging", "enable_transcription_storage",
            "enable_video_processing_ui", "enforce_unique_user_ids", "exp", "experimental_optimize_large_calls",
            "geo", "lang", "max_participants", "meeting_join_hook", "nbf", "permissions", "recordings_bucket",
            "recordings_template", "rtmp_geo", "sfu_switchover", "sip", "start_audio_off", "start_video_off",
            "streaming_endpoints", "transcription_bucket", "transcription_template");

    private static final Set<String> TYPED = Set.of("nbf", "exp", "max_participants", "enable_knocking",
            "eject_at_room_exp", "eject_after_elapsed", "enforce_unique_user_ids");

    private DailyRooms() {
    }

    public static Privacy privacy(String value) {
        Privacy privacy = Privacy.fromWire(value);
        if (privacy == null) {
            throw ApiException.invalidRequest("privacy must be 'public' or 'private'");
        }
        return privacy;
    }

    /**
     * Applies a request's {@code properties} on top of {@code base}: given fields change, absent
     * ones stay, an explicit null clears a field.
     */
    public static RoomProperties merge(RoomProperties base, JsonNode properties) {
        if (properties == null || properties.isNull()) {
            return base;
        }
        if (!properties.isObject()) {
            throw ApiException.invalidRequest("properties must be an object");
        }
        Map<String, Object> other = new LinkedHashMap<>(base.other());
        Long nbf = base.nbf();
        Long exp = base.exp();
        Integer max = base.maxParticipants();
        boolean knocking = base.enableKnocking();
        boolean ejectAtExp = base.ejectAtRoomExp();
        Long elapsed = base.ejectAfterElapsed();
        boolean unique = base.enforceUniqueUserIds();
        var fields = properties.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String key = field.getKey();
            JsonNode v = field.getValue();
            if (!DAILY_PROPERTIES.contains(key)) {
                throw ApiException.invalidRequest("unknown room property '" + DailyJson.printable(key) + "'");
            }
            DailyJson.requireEnumerated(key, v);
            DailyJson.requireShallow(key, v);
            switch (key) {
                case "nbf" -> nbf = DailyJson.timestamp(key, v);
                case "exp" -> exp = DailyJson.timestamp(key, v);
                case "max_participants" -> {
                    Long m = DailyJson.optionalLong(key, v);
                    if (m != null && m > Integer.MAX_VALUE) {
                        throw ApiException.invalidRequest("max_participants is too large");
                    }
                    max = m == null ? null : m.intValue();
                }
                case "enable_knocking" -> knocking = DailyJson.bool(key, v);
                case "eject_at_room_exp" -> ejectAtExp = DailyJson.bool(key, v);
                case "eject_after_elapsed" -> elapsed = DailyJson.seconds(key, v);
                case "enforce_unique_user_ids" -> unique = DailyJson.bool(key, v);
                default -> {
                    if (v.isNull()) {
                        other.remove(key);
                    } else {
                        other.put(key, DailyJson.plain(v));
                    }
                }
            }
        }
        // stored in the events, the view and the command side's lookups: bounded well below their columns
        DailyJson.requireStoredSize("room properties", other, MAX_STORED_PROPERTIES);
        return new RoomProperties(nbf, exp, max, knocking, ejectAtExp, elapsed, unique, other);
    }

    /** The most characters a room's free-form properties may take as JSON. */
    public static final int MAX_STORED_PROPERTIES = 16_384;

    /** Daily's {@code config}: the properties that are set. */
    public static ObjectNode config(RoomProperties p) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        if (p.nbf() != null) config.put("nbf", p.nbf());
        if (p.exp() != null) config.put("exp", p.exp());
        if (p.maxParticipants() != null) config.put("max_participants", p.maxParticipants());
        if (p.enableKnocking()) config.put("enable_knocking", true);
        if (p.ejectAtRoomExp()) config.put("eject_at_room_exp", true);
        if (p.ejectAfterElapsed() != null) config.put("eject_after_elapsed", p.ejectAfterElapsed());
        if (p.enforceUniqueUserIds()) config.put("enforce_unique_user_ids", true);
        p.other().forEach((k, v) -> config.set(k, DailyJson.MAPPER.valueToTree(v)));
        return config;
    }

    /**
     * The room object of Daily's API: {@code id, name, api_created, privacy, url, created_at,
     * config} ({@code config}: the properties that are set, {@link #config}).
     */
    public record Room(String id, String name, boolean apiCreated, String privacy, String url, String createdAt,
                       ObjectNode config) {
    }

    /** A page of rooms in Daily's shape: how many live rooms there are, and this page of them. */
    public record RoomPage(long totalCount, java.util.List<Room> data) {
    }

    public static Room room(String id, String name, Privacy privacy, Instant createdAt, RoomProperties p, String urlBase) {
        return new Room(id, name, true, privacy.wireName(), urlBase + name, createdAt.truncatedTo(ChronoUnit.MILLIS).toString(),
                config(p));
    }

    static boolean isTyped(String key) {
        return TYPED.contains(key);
    }
}
