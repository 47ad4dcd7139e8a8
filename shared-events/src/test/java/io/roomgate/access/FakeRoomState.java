package io.roomgate.access;

import io.roomgate.events.Privacy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An in-memory {@link RoomState} for tests of the join decision, built fluently:
 * <pre>{@code
 * FakeRoomState.privateRoom("standup").knocking().maxParticipants(2).present("p1", "p2")
 * }</pre>
 * Shared through the test-jar.
 */
public final class FakeRoomState implements RoomState {

    public static final String DEFAULT_ROOM_ID = "5f2d6a8e-3c1b-4f7a-9d2e-8b6c4a1f0e93";

    private final boolean live;
    private String roomId = DEFAULT_ROOM_ID;
    private final String name;
    private Privacy privacy;
    private Long nbf;
    private Long exp;
    private Integer maxParticipants;
    private boolean enableKnocking;
    private final Set<String> present = new HashSet<>();
    private final Set<String> banned = new HashSet<>();
    private final Set<String> revoked = new HashSet<>();
    private final Set<String> members = new HashSet<>();
    private final Map<String, Knock> knocks = new HashMap<>();

    private FakeRoomState(boolean live, String name, Privacy privacy) {
        this.live = live;
        this.name = name;
        this.privacy = privacy;
    }

    /** No live room of the name being joined: never created, deleted or expired and swept. */
    public static FakeRoomState noRoom() {
        return new FakeRoomState(false, null, null);
    }

    public static FakeRoomState publicRoom(String name) {
        return new FakeRoomState(true, name, Privacy.PUBLIC);
    }

    public static FakeRoomState privateRoom(String name) {
        return new FakeRoomState(true, name, Privacy.PRIVATE);
    }

    public FakeRoomState roomId(String roomId) {
        this.roomId = roomId;
        return this;
    }

    public FakeRoomState privacy(Privacy privacy) {
        this.privacy = privacy;
        return this;
    }

    public FakeRoomState nbf(Long nbf) {
        this.nbf = nbf;
        return this;
    }

    public FakeRoomState exp(Long exp) {
        this.exp = exp;
        return this;
    }

    public FakeRoomState maxParticipants(Integer maxParticipants) {
        this.maxParticipants = maxParticipants;
        return this;
    }

    /** {@code enable_knocking: true}. */
    public FakeRoomState knocking() {
        this.enableKnocking = true;
        return this;
    }

    public FakeRoomState present(String... participantIds) {
        present.addAll(Arrays.asList(participantIds));
        return this;
    }

    public FakeRoomState banned(String... userIds) {
        banned.addAll(Arrays.asList(userIds));
        return this;
    }

    public FakeRoomState revoked(String... tokenIds) {
        revoked.addAll(Arrays.asList(tokenIds));
        return this;
    }

    public FakeRoomState members(String... memberIds) {
        members.addAll(Arrays.asList(memberIds));
        return this;
    }

    public FakeRoomState knock(Knock knock) {
        knocks.put(knock.knockId(), knock);
        return this;
    }

    public String roomId() {
        return roomId;
    }

    public RoomRules rules() {
        return new RoomRules(roomId, name, privacy, nbf, exp, maxParticipants, enableKnocking);
    }

    @Override
    public Optional<RoomRules> room() {
        return live ? Optional.of(rules()) : Optional.empty();
    }

    @Override
    public boolean isPresent(String participantId) {
        return present.contains(participantId);
    }

    @Override
    public int presentCount() {
        return present.size();
    }

    @Override
    public boolean isBanned(String userId) {
        return banned.contains(userId);
    }

    @Override
    public boolean isRevoked(String tokenId) {
        return revoked.contains(tokenId);
    }

    @Override
    public boolean isActiveMember(String memberId) {
        return members.contains(memberId);
    }

    @Override
    public Optional<Knock> knock(String knockId) {
        return Optional.ofNullable(knocks.get(knockId));
    }
}
