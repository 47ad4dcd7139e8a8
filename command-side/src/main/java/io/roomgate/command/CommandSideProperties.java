package io.roomgate.command;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;
import java.util.Map;

/**
 * The command side's settings, bound once at start-up (a malformed value stops the start and
 * names the property).
 *
 * @param commands  how commands are sent
 * @param knocks    how long knocks wait and approvals last
 * @param snapshots when rooms are snapshotted
 * @param rooms     rooms kept in memory between commands
 * @param webhooks  webhook URLs, deliveries and the keys their secrets are encrypted under
 */
@ConfigurationProperties("roomgate")
public record CommandSideProperties(@DefaultValue Commands commands, @DefaultValue Knocks knocks,
                                    @DefaultValue Snapshots snapshots, @DefaultValue Rooms rooms,
                                    @DefaultValue Webhooks webhooks) {

    /**
     * @param conflictRetries retries of a command that lost a race for its aggregate to another command node
     */
    public record Commands(@DefaultValue("8") int conflictRetries) {
    }

    /**
     * @param pendingTimeout how long a knock waits for an owner before it expires
     * @param approvalWindow how long an approval admits the knocker
     */
    public record Knocks(@DefaultValue("PT10M") Duration pendingTimeout, @DefaultValue("PT5M") Duration approvalWindow) {
    }

    /**
     * @param threshold events a room may gather since its last snapshot before a new one is taken (after the
     *                  command, in the background); a room is loaded from its latest snapshot and the events after it
     */
    public record Snapshots(@DefaultValue("100") int threshold) {
    }

    /**
     * @param cacheSize rooms kept in memory between commands, the least recently used dropped first (a room is a
     *                  few kilobytes: its rules, who is in it, its bans and recent knocks); 0 loads every room from
     *                  the store for each command
     */
    public record Rooms(@DefaultValue("10000") int cacheSize) {
    }

    /**
     * @param allowHttp             allow http:// webhook URLs (development only)
     * @param allowPrivateAddresses allow webhook URLs on loopback or private addresses (development only)
     * @param maxAttempts           attempts before a delivery is given up and its webhook marked failing
     * @param firstBackoff          delay before the first retry; doubles with each attempt
     * @param timeout               connect timeout of one delivery, and how long it waits for the answer's headers;
     *                              the whole answer gets twice this, and a dead node's claimed deliveries are taken
     *                              over after three times this
     * @param secretKeys            keys (base64, 256 bits) webhook signing secrets are encrypted under at rest; all
     *                              decrypt. Without them, keys derived from the meeting-token keys
     * @param secretKeyId           the key of secret-keys new webhook secrets are encrypted under (default: the first)
     */
    public record Webhooks(@DefaultValue("false") boolean allowHttp, @DefaultValue("false") boolean allowPrivateAddresses,
                           @DefaultValue("8") int maxAttempts, @DefaultValue("PT1S") Duration firstBackoff,
                           @DefaultValue("PT5S") Duration timeout, Map<String, String> secretKeys, String secretKeyId) {

        public Webhooks {
            secretKeys = secretKeys == null ? Map.of() : secretKeys;
        }

        @Override
        public String toString() {
            // the keys are secrets: their ids only
            return "Webhooks[allowHttp=" + allowHttp + ", allowPrivateAddresses=" + allowPrivateAddresses + ", maxAttempts="
                    + maxAttempts + ", firstBackoff=" + firstBackoff + ", timeout=" + timeout + ", secretKeys="
                    + secretKeys.keySet() + ", secretKeyId=" + secretKeyId + "]";
        }
    }
}
