package io.roomgate.access;

import io.roomgate.events.BanLifted;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import io.roomgate.events.UserBanned;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The one fold of a room's events into the facts the rules read (issue 17): its rules, who is in
 * it, who is banned, its knocks. The {@code Room} aggregate keeps one and decides with it; time
 * travel folds a room's past into one up to an instant; both ask {@link JoinPolicy} through
 * {@link #asState}. Events of other streams (tokens, members) are not a room's facts: the caller
 * says whether a token is revoked or a member active.
 */
public final class RoomFacts {

    /** Someone in the room: their user id, whether they may let knockers in, when they are ejected. */
    public record Presence(String userId, boolean mayAdmitKnockers, Instant willEjectAt) {
    }

    private String roomId;
    private String name;
    private Privacy privacy;
    private RoomProperties properties;
    private boolean deleted;
    private final Map<String, Presence> present = new LinkedHashMap<>();
    private final Set<String> banned = new LinkedHashSet<>();
    /** Knocks in the order they were filed. */
    private final Map<String, Knock> knocks = new LinkedHashMap<>();

    /** Applies one of the room's events; anything else leaves the facts as they are. */
    public void apply(Object event) {
        if (event instanceof RoomCreated e) {
            roomId = e.roomId();
            name = e.name();
            privacy = e.privacy();
            properties = e.properties();
        } else if (event instanceof PrivacyChanged e) {
            // people present stay: privacy only changes who may join next
            privacy = e.privacy();
        } else if (event instanceof RoomPropertiesChanged e) {
            properties = e.properties();
        } else if (event instanceof RoomDeleted) {
            deleted = true;
            present.clear();
            knocks.clear();
        } else if (event instanceof ParticipantJoined e) {
            present.put(e.participantId(), new Presence(e.userId(), e.mayAdmitKnockers(), e.willEjectAt()));
            if (e.admission().knockId() != null) {
                knockBecomes(e.admission().knockId(), KnockState.USED, null);
            }
        } else if (event instanceof ParticipantLeft e) {
            present.remove(e.participantId());
        } else if (event instanceof ParticipantEjected e) {
            present.remove(e.participantId());
        } else if (event instanceof UserBanned e) {
            banned.add(e.userId());
        } else if (event instanceof BanLifted e) {
            banned.remove(e.userId());
        } else if (event instanceof KnockRequested e) {
            knocks.put(e.knockId(), new Knock(e.knockId(), roomId, KnockState.PENDING, e.expiresAt(), null));
        } else if (event instanceof KnockApproved e) {
            knockBecomes(e.knockId(), KnockState.APPROVED, e.validUntil());
        } else if (event instanceof KnockDenied e) {
            knockBecomes(e.knockId(), KnockState.DENIED, null);
        } else if (event instanceof KnockExpired e) {
            knockBecomes(e.knockId(), KnockState.EXPIRED, null);
        } else if (event instanceof KnockWithdrawn e) {
            knockBecomes(e.knockId(), KnockState.WITHDRAWN, null);
        }
    }

    /** A knock's new state; an approval's window is kept once set (a used approval still shows it). */
    private void knockBecomes(String knockId, KnockState state, Instant validUntil) {
        knocks.computeIfPresent(knockId, (id, k) -> new Knock(id, roomId, state, k.expiresAt(),
                validUntil != null ? validUntil : state == KnockState.USED ? k.validUntil() : null));
    }

    /**
     * Forgets decided knocks (denied, expired, withdrawn, used, or approved and past their window)
     * filed before {@code now - keep} and, oldest first, those beyond {@code max}; pending and valid
     * approved knocks stay. Decided from the events alone, so a replay ends in the same facts.
     */
    public void forgetDecidedKnocks(Instant now, Duration keep, int max) {
        Instant cutoff = now.minus(keep);
        List<Knock> decided = knocks.values().stream()
                .filter(k -> k.stateAt(now) != KnockState.PENDING && k.stateAt(now) != KnockState.APPROVED)
                .sorted(Comparator.comparing(Knock::expiresAt)) // stable: filing order among equals
                .toList();
        int excess = decided.size() - max;
        for (int i = 0; i < decided.size(); i++) {
            Knock k = decided.get(i);
            if (i < excess || k.expiresAt().isBefore(cutoff)) {
                knocks.remove(k.knockId());
            }
        }
    }

    public String roomId() {
        return roomId;
    }

    public String name() {
        return name;
    }

    public Privacy privacy() {
        return privacy;
    }

    public RoomProperties properties() {
        return properties;
    }

    public boolean created() {
        return roomId != null;
    }

    public boolean deleted() {
        return deleted;
    }

    /** Who is in the room, in the order they joined. */
    public Map<String, Presence> present() {
        return Collections.unmodifiableMap(present);
    }

    public Optional<Presence> presence(String participantId) {
        return Optional.ofNullable(present.get(participantId));
    }

    public boolean isBanned(String userId) {
        return banned.contains(userId);
    }

    public Optional<Knock> knock(String knockId) {
        return Optional.ofNullable(knocks.get(knockId));
    }

    public int knockCount() {
        return knocks.size();
    }

    /** The rules the decision reads, or empty before the room was created and after it was deleted. */
    public Optional<RoomRules> rules() {
        return !created() || deleted ? Optional.empty()
                : Optional.of(new RoomRules(roomId, name, privacy, properties.nbf(), properties.exp(),
                properties.maxParticipants(), properties.enableKnocking()));
    }

    /** These facts as the join decision reads them; tokens and members are the caller's to judge. */
    public RoomState asState(Predicate<String> revoked, Predicate<String> activeMember) {
        return new RoomState() {
            @Override
            public Optional<RoomRules> room() {
                return rules();
            }

            @Override
            public boolean isPresent(String participantId) {
                return present.containsKey(participantId);
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
                return revoked.test(tokenId);
            }

            @Override
            public boolean isActiveMember(String memberId) {
                return activeMember.test(memberId);
            }

            @Override
            public Optional<Knock> knock(String knockId) {
                return Optional.ofNullable(knocks.get(knockId));
            }
        };
    }
}
