package io.roomgate.platform;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The {@code X-Consistency-Token}: "the view must include event {@code sequence} of aggregate
 * {@code aggregateId}". Per aggregate, not per global position, so any query node can check it
 * against its own view with one lookup, whichever segment or node applied the event.
 */
public record ConsistencyToken(String aggregateId, long sequence) {

    public static final String HEADER = "X-Consistency-Token";
    private static final String VERSION = "c1";

    public String encode() {
        String raw = VERSION + "|" + aggregateId + "|" + sequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty for anything that is not a token this code wrote. */
    public static Optional<ConsistencyToken> decode(String value) {
        if (value == null || value.length() > 512) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            String[] parts = raw.split("\\|");
            if (parts.length != 3 || !VERSION.equals(parts[0]) || parts[1].isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ConsistencyToken(parts[1], Long.parseLong(parts[2])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
