package io.roomgate.edge;

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
    /** Room for the longest stream id: a 128-character member id at 4 UTF-8 bytes a character. */
    private static final int MAX_LENGTH = 1024;

    public String encode() {
        String raw = VERSION + "|" + aggregateId + "|" + sequence;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Empty for anything that is not a token this code wrote. The aggregate id is everything
     * between the first and the last {@code |}: a member id or {@code jti} may hold one.
     */
    public static Optional<ConsistencyToken> decode(String value) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            int first = raw.indexOf('|');
            int last = raw.lastIndexOf('|');
            if (first < 0 || last - first < 2 || !VERSION.equals(raw.substring(0, first))) {
                return Optional.empty();
            }
            return Optional.of(new ConsistencyToken(raw.substring(first + 1, last), Long.parseLong(raw.substring(last + 1))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
