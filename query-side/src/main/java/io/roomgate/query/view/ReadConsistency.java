package io.roomgate.query.view;

import io.roomgate.edge.ApiException;
import io.roomgate.edge.ConsistencyToken;

import java.util.Locale;

/**
 * How fresh a read must be, chosen per request (SpiceDB's consistency levels, for Daily's API):
 * <ul>
 * <li>{@link Level#FULL}, the default (no header, or {@code X-Consistency: full}): the answer
 * reflects every write acknowledged before the request arrived, on any node;</li>
 * <li>{@link Level#AT_LEAST_AS_FRESH} ({@code X-Consistency-Token}): at least as fresh as the
 * write that answered with that token, and every write stored before it;</li>
 * <li>{@link Level#MINIMIZE_LATENCY} ({@code X-Consistency: minimize-latency}): whatever the view
 * holds now, at once.</li>
 * </ul>
 */
public record ReadConsistency(Level level, ConsistencyToken token) {

    public static final String HEADER = "X-Consistency";
    public static final String FULL_VALUE = "full";
    public static final String MINIMIZE_LATENCY_VALUE = "minimize-latency";

    public enum Level {
        FULL("full"), AT_LEAST_AS_FRESH("at-least-as-fresh"), MINIMIZE_LATENCY("minimize-latency");

        private final String wireName;

        Level(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public static final ReadConsistency FULL = new ReadConsistency(Level.FULL, null);
    public static final ReadConsistency MINIMIZE_LATENCY = new ReadConsistency(Level.MINIMIZE_LATENCY, null);

    public static ReadConsistency atLeastAsFresh(ConsistencyToken token) {
        return new ReadConsistency(Level.AT_LEAST_AS_FRESH, token);
    }

    /**
     * From the two request headers, either of which may be absent. A value that is neither level,
     * a token this code did not write, or {@code minimize-latency} together with a token (which
     * asks for a wait and for none) is a 400. {@code full} with a token is full: every
     * acknowledged write includes the token's.
     */
    public static ReadConsistency of(String level, String token) {
        if (level != null) {
            String value = level.trim().toLowerCase(Locale.ROOT);
            if (value.equals(FULL_VALUE)) {
                if (token != null) {
                    decode(token);
                }
                return FULL;
            }
            if (value.equals(MINIMIZE_LATENCY_VALUE)) {
                if (token != null) {
                    throw ApiException.invalidRequest(HEADER + ": minimize-latency answers without waiting; it cannot "
                            + "be combined with " + ConsistencyToken.HEADER + ", which asks for a wait");
                }
                return MINIMIZE_LATENCY;
            }
            throw ApiException.invalidRequest(HEADER + " must be '" + FULL_VALUE + "' or '" + MINIMIZE_LATENCY_VALUE + "'");
        }
        return token == null ? FULL : atLeastAsFresh(decode(token));
    }

    private static ConsistencyToken decode(String token) {
        return ConsistencyToken.decode(token)
                .orElseThrow(() -> ApiException.invalidRequest(ConsistencyToken.HEADER + " is not a consistency token"));
    }
}
