package io.roomgate.edge;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate limits, as Daily documents them, with Bucket4j token buckets held in this process:
 * <ul>
 * <li>per API key, for most endpoints: 20 requests a second, bursts up to 100 (Daily's "20 req/sec,
 * or 100 req per 5-second window");</li>
 * <li>per API key, for {@code DELETE /v1/rooms/{name}}: 2 a second, bursts up to 50 (Daily's
 * "~2 req/sec, or 50 req per 30-second window");</li>
 * <li>per API key, for the join API a join server calls (join checks, joins, knocks: roomgate's
 * own, thousands a second by design): 20,000 a second, bursts up to 40,000;</li>
 * <li>per client address, for failed authentication (no or a malformed Authorization header, an
 * unknown key): 20 failures, then one a second; an address past that gets 429 for every request
 * that carries credentials until its budget refills, before its key is even looked at.</li>
 * </ul>
 * A request over a limit is a 429 {@code rate-limit-error} with {@code Retry-After} (whole seconds).
 * The buckets are this node's: with several nodes behind a balancer, each enforces its own, and the
 * balancer's (docker/nginx.conf) enforce the cluster-wide budget per key.
 */
public final class RateLimits {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    /** A limit: {@code perSecond} on average, up to {@code burst} at once. */
    public record Limit(long perSecond, long burst) {

        public Limit {
            if (perSecond < 1 || burst < 1) {
                throw new IllegalArgumentException("a rate limit needs at least 1 request a second and a burst of at least 1");
            }
        }

        Bucket bucket() {
            return Bucket.builder()
                    .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                    .build();
        }
    }

    /** What a request is counted against. */
    public enum Category { API, ROOM_DELETE, JOIN }

    /** Client addresses remembered at most; beyond it, idle ones are forgotten (an attacker rotating addresses). */
    static final int MAX_ADDRESSES = 100_000;

    private final Map<Category, Limit> limits;
    private final Limit failedAuthentication;
    private final Map<String, Bucket> perKey = new ConcurrentHashMap<>();
    private final Map<String, Bucket> perAddress = new ConcurrentHashMap<>();
    /** Addresses whose lock-out has been logged, so a flood writes one line, not one per request. */
    private final Map<String, Boolean> lockedLogged = new ConcurrentHashMap<>();

    /** Told of every refusal, by budget: {@code api}, {@code room-delete}, {@code join}, {@code failed-authentication}. */
    private volatile java.util.function.Consumer<String> refused = budget -> { };

    public RateLimits(Limit api, Limit roomDelete, Limit join, Limit failedAuthentication) {
        this.limits = Map.of(Category.API, api, Category.ROOM_DELETE, roomDelete, Category.JOIN, join);
        this.failedAuthentication = failedAuthentication;
    }

    /** Where refusals are counted (a meter); one call per refusal. */
    public void onRefusal(java.util.function.Consumer<String> listener) {
        this.refused = listener;
    }

    /** Counts a request of this key; a 429 if the key's budget for the category is spent. */
    public void requireWithin(String keyId, Category category) {
        Bucket bucket = perKey.computeIfAbsent(keyId + '\n' + category, k -> limits.get(category).bucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            refused.accept(category.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            throw tooMany("this API key made more requests than its limit for these endpoints ("
                    + limits.get(category).perSecond() + " a second, bursts of " + limits.get(category).burst() + ")",
                    probe.getNanosToWaitForRefill());
        }
    }

    /** A 429 if this address spent its budget of failed authentications (checked before the key is looked at). */
    public void requireAddressNotLocked(String address) {
        Bucket bucket = perAddress.get(address);
        if (bucket != null && bucket.getAvailableTokens() < 1) {
            long wait = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
            if (lockedLogged.putIfAbsent(address, Boolean.TRUE) == null) {
                log.warn("client address {} failed authentication more than {} times (then {} a second): "
                        + "its requests are refused with 429 until its budget refills", address,
                        failedAuthentication.burst(), failedAuthentication.perSecond());
            }
            refused.accept("failed-authentication");
            throw tooMany("too many failed authentications from this address", wait);
        }
        if (bucket != null) {
            lockedLogged.remove(address);
        }
    }

    /** Counts a failed authentication against the address. */
    public void failedAuthentication(String address) {
        if (perAddress.size() >= MAX_ADDRESSES) {
            forgetIdleAddresses();
        }
        perAddress.computeIfAbsent(address, a -> failedAuthentication.bucket()).tryConsume(1);
    }

    private synchronized void forgetIdleAddresses() {
        perAddress.entrySet().removeIf(e -> e.getValue().getAvailableTokens() >= failedAuthentication.burst());
        if (perAddress.size() >= MAX_ADDRESSES) {
            perAddress.clear(); // all busy: start over rather than grow without bound
        }
        lockedLogged.keySet().retainAll(perAddress.keySet());
    }

    private static ApiException tooMany(String info, long nanosToWait) {
        long seconds = Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
        return new ApiException(429, "rate-limit-error", info + "; retry after " + seconds + " s")
                .withHeader("Retry-After", Long.toString(seconds));
    }
}
