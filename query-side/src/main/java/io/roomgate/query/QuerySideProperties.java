package io.roomgate.query;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The query side's settings, bound once at start-up (a malformed value stops the start and names
 * the property).
 *
 * @param view        the join-eligibility view's processor
 * @param consistency how reads wait for the writes acknowledged before them
 * @param knockFeeds  bounds on live knock feeds
 * @param replay      rebuilding the view beside the live one
 * @param audit       the audit export
 */
@ConfigurationProperties("roomgate")
public record QuerySideProperties(@DefaultValue View view, @DefaultValue Consistency consistency,
                                  @DefaultValue KnockFeeds knockFeeds, @DefaultValue Replay replay,
                                  @DefaultValue Audit audit) {

    /**
     * @param segments                initial segment count of the join-eligibility processor (query nodes share them)
     * @param maxClaimedSegments      most segments one node claims
     * @param batchSize               events per transaction of the join-eligibility processor
     * @param pollInterval            how often a caught-up view processor looks for events other nodes wrote (this
     *                                node's own commits wake it at once)
     * @param quarantineRetryInterval how often quarantined streams (events the view could not apply) are retried on
     *                                their own; 0 for operator retries only
     * @param balanceInterval         how often a query node heartbeats and checks its fair share of segments
     */
    public record View(@DefaultValue("2") int segments, @DefaultValue("2147483647") int maxClaimedSegments,
                       @DefaultValue("100") int batchSize, @DefaultValue("PT0.01S") Duration pollInterval,
                       @DefaultValue("PT1M") Duration quarantineRetryInterval, @DefaultValue("PT2S") Duration balanceInterval) {
    }

    /**
     * @param maxWait         how long a read at the default level (no header, X-Consistency: full) or with an
     *                        X-Consistency-Token waits for the view before it answers 503 consistency-timeout
     * @param acknowledgeWait where the view runs in the same process as the command side (the embedded app): how
     *                        long a command waits, at most, for the view to apply its events before it is acknowledged
     * @param maxWaiting      most reads waiting for the view at once (each holds a worker thread); past it a read
     *                        that must wait is a 503 consistency-timeout at once (Tomcat has 200)
     * @param storeHead       where a default read takes the store's head: local (this process's own commits; only
     *                        where no other process writes the store), query (asks the store each time), or auto
     *                        (local on H2 without AUTO_SERVER, else query)
     */
    public record Consistency(@DefaultValue("PT2S") Duration maxWait, @DefaultValue("PT1S") Duration acknowledgeWait,
                              @DefaultValue("128") int maxWaiting, @DefaultValue("auto") StoreHead storeHead) {
    }

    /** Where a default read takes the store's head. */
    public enum StoreHead {
        AUTO, LOCAL, QUERY
    }

    /**
     * @param maxPerRoom most live waiting-list feeds open on one room (429 past it)
     * @param maxPerKnock most live feeds open on one knock (429 past it)
     * @param maxPerKey  most live knock feeds one API key holds open (429 past it)
     * @param heartbeat  how often an idle live feed sends a comment line, which finds clients that went away
     */
    public record KnockFeeds(@DefaultValue("50") int maxPerRoom, @DefaultValue("5") int maxPerKnock,
                             @DefaultValue("10000") int maxPerKey, @DefaultValue("PT5S") Duration heartbeat) {
    }

    /**
     * @param batchSize    events per transaction of a rebuild
     * @param logInterval  how often a running rebuild logs its progress
     * @param staleAfter   after this without a heartbeat, a rebuild's node is taken to be dead and the rebuild may be
     *                     taken over
     * @param pollInterval how often a node looks whether a rebuild on another node switched the view
     * @param claimWait    how long a rebuild waits for the previous one to finish, and for the live view's segments
     */
    public record Replay(@DefaultValue("500") int batchSize, @DefaultValue("PT5S") Duration logInterval,
                         @DefaultValue("PT1M") Duration staleAfter, @DefaultValue("PT0.5S") Duration pollInterval,
                         @DefaultValue("PT30S") Duration claimWait) {
    }

    /**
     * @param exportTimeout longest an NDJSON audit export may stream
     */
    public record Audit(@DefaultValue("PT1H") Duration exportTimeout) {
    }
}
