package io.roomgate.edge;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The HTTP edge's settings, bound once at start-up (a malformed value stops the start and names
 * the property).
 *
 * @param roomUrlBase prefix of a room's url in Daily's room object; the room name is appended
 * @param http        bounds on slow or greedy clients
 * @param rateLimits  token buckets per API key (and per client address for failed authentication)
 */
@ConfigurationProperties("roomgate")
public record EdgeProperties(String roomUrlBase, @DefaultValue Http http, @DefaultValue RateLimitSettings rateLimits) {

    /**
     * @param maxRequestsPerAddress most requests of one client address in progress at once (live feeds excluded);
     *                              past it a 429 at once
     * @param unreadBodyTimeout     how long a body left unread after the answer is still read, so its client gets the
     *                              answer on a clean connection; then it is abandoned and the connection closed
     * @param bodyTimeout           longest a request body may take to arrive from its first byte read; a body that
     *                              trickles in longer is a 408
     */
    public record Http(@DefaultValue("100") int maxRequestsPerAddress, @DefaultValue("PT2S") Duration unreadBodyTimeout,
                       @DefaultValue("PT10S") Duration bodyTimeout) {
    }

    /**
     * @param enabled              rate limits per API key and per client address (429 rate-limit-error)
     * @param api                  every admin call of a key
     * @param roomDelete           room deletions of a key (Daily's stricter DELETE budget)
     * @param join                 join checks and joins of a key
     * @param failedAuthentication requests with a wrong or missing key, per client address
     */
    public record RateLimitSettings(@DefaultValue("true") boolean enabled, Bucket api, Bucket roomDelete, Bucket join,
                                    Bucket failedAuthentication) {

        /** Daily's documented limits where a bucket, or half of one, is not set. */
        public RateLimitSettings {
            api = Bucket.orDefaults(api, 20, 100);
            roomDelete = Bucket.orDefaults(roomDelete, 2, 50);
            join = Bucket.orDefaults(join, 20_000, 40_000);
            failedAuthentication = Bucket.orDefaults(failedAuthentication, 1, 20);
        }
    }

    /**
     * @param perSecond tokens added each second
     * @param burst     the bucket's size: how many requests may come at once
     */
    public record Bucket(Long perSecond, Long burst) {

        static Bucket orDefaults(Bucket set, long perSecond, long burst) {
            return set == null ? new Bucket(perSecond, burst) : new Bucket(set.perSecond == null ? perSecond : set.perSecond,
                    set.burst == null ? burst : set.burst);
        }

        RateLimits.Limit limit() {
            return new RateLimits.Limit(perSecond, burst);
        }
    }
}
