package io.roomgate.query.audit;

import io.roomgate.access.RoomName;
import io.roomgate.events.RoomgateEvent;
import io.roomgate.edge.ApiException;
import org.springframework.util.MultiValueMap;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The parameters of {@code GET /v1/audit/events}, checked. Anything unknown, repeated where it
 * cannot be, or malformed is a 400 {@code invalid-request-error} naming the parameter.
 *
 * @param roomName  every generation of the rooms of that name (see {@link AuditLog})
 * @param types     payload class names of the event types asked for; empty means all
 * @param from      occurred at or after (inclusive), or null
 * @param to        occurred before (exclusive), or null
 * @param after     only positions greater than this
 * @param limit     at most this many entries; null only for an export without a limit
 */
public record AuditQuery(String roomName, Set<String> types, Instant from, Instant to, long after, Integer limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final Set<String> PARAMETERS = Set.of("room_name", "type", "from", "to", "after", "limit");

    /** Simple name → payload type, for every event of the contract. */
    static final Map<String, String> EVENT_TYPES = Arrays.stream(RoomgateEvent.class.getPermittedSubclasses())
            .collect(Collectors.toMap(Class::getSimpleName, Class::getName, (a, b) -> a, TreeMap::new));

    public AuditQuery {
        types = Set.copyOf(types);
    }

    /**
     * @param export true for the NDJSON export: {@code limit} is optional there and has no upper
     *               bound (the export streams); a page is at most {@value #MAX_LIMIT} entries
     */
    public static AuditQuery parse(MultiValueMap<String, String> params, boolean export) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw ApiException.invalidRequest("unknown parameter '" + name + "'; use " + String.join(", ", List.of(
                        "room_name", "type", "from", "to", "after", "limit")));
            }
        }
        String roomName = single(params, "room_name");
        if (roomName != null) {
            RoomName.of("room_name", roomName);
        }
        Set<String> types = new LinkedHashSet<>();
        for (String value : params.getOrDefault("type", List.of())) {
            for (String type : value.split(",", -1)) {
                String simple = type.trim();
                String payloadType = EVENT_TYPES.get(simple);
                if (payloadType == null) {
                    throw ApiException.invalidRequest("type '" + simple + "' is not an event type; use one of "
                            + String.join(", ", EVENT_TYPES.keySet()));
                }
                types.add(payloadType);
            }
        }
        Instant from = instant(params, "from");
        Instant to = instant(params, "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.invalidRequest("from must be before to");
        }
        long after = 0;
        String afterText = single(params, "after");
        if (afterText != null) {
            after = number(afterText, "after");
            if (after < 0) {
                throw ApiException.invalidRequest("after must be a position (0 or more)");
            }
        }
        Integer limit = export ? null : DEFAULT_LIMIT;
        String limitText = single(params, "limit");
        if (limitText != null) {
            long n = number(limitText, "limit");
            if (n < 1 || (!export && n > MAX_LIMIT) || n > Integer.MAX_VALUE) {
                throw ApiException.invalidRequest(export ? "limit must be 1 or more"
                        : "limit must be between 1 and " + MAX_LIMIT);
            }
            limit = (int) n;
        }
        return new AuditQuery(roomName, types, from, to, after, limit);
    }

    private static String single(MultiValueMap<String, String> params, String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiException.invalidRequest("give " + name + " once");
        }
        String value = values.get(0);
        if (value == null || value.isEmpty()) {
            throw ApiException.invalidRequest(name + " is empty");
        }
        return value;
    }

    private static long number(String text, String name) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw ApiException.invalidRequest(name + " must be a whole number");
        }
    }

    private static Instant instant(MultiValueMap<String, String> params, String name) {
        String text = single(params, name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException notUtc) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e) {
                throw ApiException.invalidRequest(name + " must be an ISO-8601 instant such as 2026-11-27T14:03:00Z");
            }
        }
    }
}
