package io.roomgate.access;

import java.util.Optional;

/**
 * What the join decision needs to know about the world. The command side answers from its
 * aggregates and lookups, the query side from its view, time travel from a fold of past events:
 * the decision itself is the same function for all three.
 */
public interface RoomState {

    /** The live room of the name being joined, if there is one. */
    Optional<RoomRules> room();

    boolean isPresent(String participantId);

    int presentCount();

    boolean isBanned(String userId);

    boolean isRevoked(String tokenId);

    boolean isActiveMember(String memberId);

    Optional<Knock> knock(String knockId);
}
