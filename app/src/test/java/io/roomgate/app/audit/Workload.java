package io.roomgate.app.audit;

import io.roomgate.access.JoinAttempt;
import io.roomgate.access.PresentedToken;
import io.roomgate.command.member.AddMember;
import io.roomgate.command.member.RemoveMember;
import io.roomgate.command.room.ApproveKnock;
import io.roomgate.command.room.CreateRoom;
import io.roomgate.command.room.DeleteRoom;
import io.roomgate.command.room.DenyKnock;
import io.roomgate.command.room.EjectParticipants;
import io.roomgate.command.room.JoinRoom;
import io.roomgate.command.room.LeaveRoom;
import io.roomgate.command.room.LiftBan;
import io.roomgate.command.room.RequestKnock;
import io.roomgate.command.room.UpdateRoom;
import io.roomgate.command.room.WithdrawKnock;
import io.roomgate.command.token.IssueToken;
import io.roomgate.command.token.RevokeToken;
import io.roomgate.events.DeletionCause;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.messaging.MetaData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A seeded, reproducible random workload of commands over many rooms, sent straight to the
 * command gateway: rooms created (names reused after deletion), privacy and properties
 * changed, tokens issued and revoked, joins by every route, leaves, knocks decided or
 * withdrawn, ejections with bans, bans lifted, members added and removed. It keeps a loose
 * model of the state to pick plausible commands; a command the rules refuse is just counted.
 * No deadline it causes fires within a test (no exp, no eject_after_elapsed).
 */
final class Workload {

    private final CommandGateway gateway;
    private final Random random;
    private final String prefix;

    final Map<String, Room> rooms = new LinkedHashMap<>();
    final List<String> freedNames = new ArrayList<>();
    final List<Token> tokens = new ArrayList<>();
    final Set<String> members = new HashSet<>();
    private int nameCounter;
    private int participantCounter;

    int sent;
    int accepted;
    final Map<String, Integer> rejectedByCommand = new HashMap<>();

    static final class Room {
        final String id;
        final String name;
        Privacy privacy;
        RoomProperties properties;
        final Map<String, Boolean> present = new LinkedHashMap<>(); // participant → may admit knockers
        final Map<String, String> userOf = new HashMap<>();
        final List<String> pendingKnocks = new ArrayList<>();
        final List<String> approvedKnocks = new ArrayList<>();
        final Set<String> banned = new HashSet<>();

        Room(String id, String name, Privacy privacy, RoomProperties properties) {
            this.id = id;
            this.name = name;
            this.privacy = privacy;
            this.properties = properties;
        }
    }

    record Token(String id, MeetingTokenClaims claims, boolean[] revoked) {
    }

    Workload(CommandGateway gateway, long seed, String prefix) {
        this.gateway = gateway;
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    /** Sends {@code commands} commands. */
    void run(int commands) {
        while (sent < commands) {
            step();
        }
    }

    private void step() {
        int roll = random.nextInt(100);
        List<Room> live = new ArrayList<>(rooms.values());
        if (live.size() < 20 || roll < 6) {
            createRoom();
        } else if (roll < 12) {
            Room r = pick(live);
            if (send(new UpdateRoom(r.id, r.privacy == Privacy.PUBLIC ? Privacy.PRIVATE : Privacy.PUBLIC, null))) {
                r.privacy = r.privacy == Privacy.PUBLIC ? Privacy.PRIVATE : Privacy.PUBLIC;
            }
        } else if (roll < 15) {
            Room r = pick(live);
            RoomProperties p = properties();
            if (send(new UpdateRoom(r.id, null, p))) {
                r.properties = p;
            }
        } else if (roll < 17) {
            Room r = pick(live);
            if (send(new DeleteRoom(r.id, DeletionCause.ADMIN))) {
                rooms.remove(r.id);
                freedNames.add(r.name);
            }
        } else if (roll < 25) {
            issueToken(live);
        } else if (roll < 28 && !tokens.isEmpty()) {
            Token t = tokens.get(random.nextInt(tokens.size()));
            if (send(new RevokeToken(t.id))) {
                t.revoked[0] = true;
            }
        } else if (roll < 52) {
            join(pick(live));
        } else if (roll < 64) {
            Room r = pick(live);
            if (!r.present.isEmpty()) {
                String p = pick(new ArrayList<>(r.present.keySet()));
                if (send(new LeaveRoom(r.id, p))) {
                    r.present.remove(p);
                }
            } else {
                join(r);
            }
        } else if (roll < 72) {
            Room r = live.stream().filter(x -> x.privacy == Privacy.PRIVATE && x.properties.enableKnocking())
                    .skip(random.nextInt(Math.max(1, live.size() / 4))).findFirst().orElse(pick(live));
            String knockId = uuid();
            if (send(new RequestKnock(r.id, knockId, "knocker-" + random.nextInt(50)))) {
                r.pendingKnocks.add(knockId);
            }
        } else if (roll < 78) {
            decideKnock(live);
        } else if (roll < 80) {
            Room r = pick(live);
            if (!r.pendingKnocks.isEmpty()) {
                String k = r.pendingKnocks.remove(random.nextInt(r.pendingKnocks.size()));
                send(new WithdrawKnock(r.id, k));
            } else {
                decideKnock(live);
            }
        } else if (roll < 83) {
            Room r = pick(live);
            if (!r.present.isEmpty()) {
                String p = pick(new ArrayList<>(r.present.keySet()));
                String user = r.userOf.get(p);
                if (send(new EjectParticipants(r.id, List.of(p), List.of(), random.nextBoolean()))) {
                    r.present.remove(p);
                    if (user != null) {
                        r.banned.add(user);
                    }
                }
            } else {
                join(r);
            }
        } else if (roll < 85) {
            Room r = pick(live);
            if (!r.banned.isEmpty()) {
                String u = pick(new ArrayList<>(r.banned));
                send(new LiftBan(r.id, u));
                r.banned.remove(u);
            } else {
                join(r);
            }
        } else if (roll < 93) {
            String m = "member-" + random.nextInt(60);
            if (send(new AddMember(m))) {
                members.add(m);
            }
        } else {
            String m = "member-" + random.nextInt(60);
            if (send(new RemoveMember(m))) {
                members.remove(m);
            }
        }
    }

    private void createRoom() {
        String name = !freedNames.isEmpty() && random.nextInt(3) == 0
                ? freedNames.remove(random.nextInt(freedNames.size()))
                : prefix + "-" + (nameCounter++);
        Privacy privacy = random.nextBoolean() ? Privacy.PUBLIC : Privacy.PRIVATE;
        RoomProperties p = properties();
        String id = uuid();
        if (send(new CreateRoom(id, name, privacy, p))) {
            rooms.put(id, new Room(id, name, privacy, p));
        } else {
            freedNames.add(name);
        }
    }

    private RoomProperties properties() {
        Integer max = random.nextInt(4) == 0 ? 3 + random.nextInt(8) : null;
        return new RoomProperties(null, null, max, random.nextInt(3) > 0, false, null, random.nextInt(5) == 0,
                random.nextInt(4) == 0 ? Map.of("enable_chat", true) : Map.of());
    }

    private void issueToken(List<Room> live) {
        Room r = pick(live);
        boolean owner = random.nextInt(3) == 0;
        boolean allRooms = random.nextInt(20) == 0;
        Map<String, Object> permissions = !owner && random.nextInt(5) == 0 ? Map.of("canAdmin", List.of("participants")) : Map.of();
        MeetingTokenClaims claims = new MeetingTokenClaims(allRooms ? null : r.name, null, null, owner,
                "user " + random.nextInt(100), random.nextInt(3) == 0 ? null : "user-" + random.nextInt(40), false, null,
                random.nextInt(10) == 0, permissions, Map.of());
        String jti = uuid();
        if (send(new IssueToken(jti, "test-1", claims, allRooms))) {
            tokens.add(new Token(jti, claims, new boolean[]{false}));
        }
    }

    private void join(Room r) {
        String participant = "p-" + (participantCounter++);
        int route = random.nextInt(5);
        PresentedToken token = null;
        String memberId = null;
        String knockId = null;
        String userId = random.nextInt(2) == 0 ? "user-" + random.nextInt(40) : null;
        boolean revoked = false;
        boolean mayAdmit = false;
        if (route == 0 || route == 1) {
            List<Token> usable = tokens.stream().filter(t -> t.claims.roomName() == null || t.claims.roomName().equals(r.name)).toList();
            if (!usable.isEmpty()) {
                Token t = usable.get(random.nextInt(usable.size()));
                token = new PresentedToken.Verified(t.id, t.claims);
                revoked = t.revoked[0];
                mayAdmit = t.claims.mayAdmitKnockers();
                if (t.claims.userId() != null) {
                    userId = t.claims.userId();
                }
            }
        } else if (route == 2) {
            memberId = members.isEmpty() || random.nextInt(4) == 0 ? "member-" + random.nextInt(60) : pick(new ArrayList<>(members));
        } else if (route == 3 && !r.approvedKnocks.isEmpty()) {
            knockId = r.approvedKnocks.remove(random.nextInt(r.approvedKnocks.size()));
        }
        JoinAttempt attempt = new JoinAttempt(token, userId, memberId, participant, knockId);
        if (send(new JoinRoom(r.id, participant, "name " + participant, attempt, revoked,
                memberId != null && members.contains(memberId)))) {
            r.present.put(participant, mayAdmit);
            if (userId != null) {
                r.userOf.put(participant, userId);
            }
        }
    }

    private void decideKnock(List<Room> live) {
        Room r = live.stream().filter(x -> !x.pendingKnocks.isEmpty() && x.present.containsValue(true))
                .findFirst().orElse(null);
        if (r == null) {
            // bring an owner into some room with a pending knock
            Room withKnock = live.stream().filter(x -> !x.pendingKnocks.isEmpty()).findFirst().orElse(pick(live));
            MeetingTokenClaims claims = new MeetingTokenClaims(withKnock.name, null, null, true, "owner", null, false, null,
                    false, Map.of(), Map.of());
            String jti = uuid();
            if (send(new IssueToken(jti, "test-1", claims, false))) {
                tokens.add(new Token(jti, claims, new boolean[]{false}));
                String participant = "p-" + (participantCounter++);
                if (send(new JoinRoom(withKnock.id, participant, "owner", new JoinAttempt(
                        new PresentedToken.Verified(jti, claims), null, null, participant, null), false, false))) {
                    withKnock.present.put(participant, true);
                }
            }
            return;
        }
        String owner = r.present.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).findFirst().orElseThrow();
        String knock = r.pendingKnocks.remove(random.nextInt(r.pendingKnocks.size()));
        if (random.nextInt(4) > 0) {
            if (send(new ApproveKnock(r.id, knock, owner))) {
                r.approvedKnocks.add(knock);
            }
        } else {
            send(new DenyKnock(r.id, knock, owner));
        }
    }

    private boolean send(Object command) {
        sent++;
        try {
            gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command)
                    .andMetaData(MetaData.with("actor", "workload").and("request_id", "workload-" + sent)));
            accepted++;
            return true;
        } catch (RuntimeException refused) {
            rejectedByCommand.merge(command.getClass().getSimpleName(), 1, Integer::sum);
            return false;
        }
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }
}
