package io.roomgate.query.web;

import io.roomgate.access.KnockState;
import io.roomgate.query.view.KnockReader;
import io.roomgate.query.view.KnockReader.ViewKnock;
import io.roomgate.query.view.PresenceReader;
import io.roomgate.query.view.RoomReader;
import io.roomgate.query.view.ViewRoom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Knock status and waiting lists, once or live. Live feeds look at the view every {@code POLL}
 * and send an event when what they show has changed: that works whichever query node applied the
 * decision. A knock's feed ends once the knock is decided. On shutdown the open feeds end first
 * (this lifecycle stops before the web server's graceful shutdown, which would otherwise wait its
 * whole timeout for streams that never end); clients reconnect to another node.
 * <p>
 * What a feed costs (issue 16, row 6: a hundred feeds whose clients had hung up re-rendered a
 * 2,000-knock waiting list every 100 ms each and held half a gigabyte): feeds that show the same
 * thing share one read and one rendering, which happens only when the room's stream moved in the
 * view (one indexed lookup per room per poll) or once a second for knocks that expire by the
 * clock; a comment line every {@code HEARTBEAT} finds clients that went away, and their feeds end;
 * and a room, a knock and an API key each have a cap on open feeds (429 past it).
 */
public class KnockFeeds implements AutoCloseable, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KnockFeeds.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How often what a feed shows is read again although its room's stream did not move (knocks expire by the clock). */
    private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long FEED_TIMEOUT_MS = Duration.ofMinutes(30).toMillis();

    /** Caps on open feeds: per room (waiting lists), per knock, per API key. */
    public record Caps(int perRoom, int perKnock, int perKey, Duration heartbeat) {
    }

    private final RoomReader rooms;
    private final PresenceReader presence;
    private final KnockReader knocks;
    private final Clock clock;
    private final Caps caps;
    private final Map<SseEmitter, Feed> feeds = new ConcurrentHashMap<>();
    /** What the open feeds show, one entry per distinct source, shared by its feeds. */
    private final Map<String, Source> sources = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "knock-feeds");
        t.setDaemon(true);
        return t;
    });

    /** One thing feeds show (a knock's status, a room's waiting list), read and rendered once for all of them. */
    private static final class Source {
        final String key;
        final String roomId;
        final Supplier<Optional<?>> read;
        final boolean endsWhenDecided;
        long seenSequence = Long.MIN_VALUE;
        long renderedAtNanos;
        long version;
        Object data;
        boolean gone;

        Source(String key, String roomId, Supplier<Optional<?>> read, boolean endsWhenDecided) {
            this.key = key;
            this.roomId = roomId;
            this.read = read;
            this.endsWhenDecided = endsWhenDecided;
        }
    }

    private static final class Feed {
        final Source source;
        final String keyId;
        long sentVersion = -1;
        long lastWriteNanos = System.nanoTime();

        Feed(Source source, String keyId) {
            this.source = source;
            this.keyId = keyId;
        }
    }

    public KnockFeeds(RoomReader rooms, PresenceReader presence, KnockReader knocks, Clock clock) {
        this(rooms, presence, knocks, clock, new Caps(50, 5, 10_000, Duration.ofSeconds(5)));
    }

    public KnockFeeds(RoomReader rooms, PresenceReader presence, KnockReader knocks, Clock clock, Caps caps) {
        this.rooms = rooms;
        this.presence = presence;
        this.knocks = knocks;
        this.clock = clock;
        this.caps = caps;
        poller.scheduleWithFixedDelay(this::pushQuietly, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A knock as {@code GET /v1/knocks/{id}} and its feed show it. */
    public record KnockView(String id, String roomName, String userName, String status, String requestedAt, String expiresAt,
                            String validUntil, String decidedBy, boolean ownerPresent) {
    }

    /** A room's waiting list: its pending knocks, and whether an owner is there to decide them. */
    public record WaitingList(String roomName, boolean ownerPresent, int totalCount, List<KnockView> data) {
    }

    public Optional<KnockView> knockStatus(String knockId) {
        return knocks.knock(knockId).map(this::render);
    }

    public WaitingList waitingList(ViewRoom room) {
        List<KnockView> data = knocks.waitingKnocks(room.roomId()).stream()
                .filter(k -> k.knock().stateAt(clock.instant()) == KnockState.PENDING)
                .map(this::render).toList();
        return new WaitingList(room.name(), presence.anyOwnerPresent(room.roomId()), data.size(), data);
    }

    public SseEmitter followKnock(String knockId) {
        String roomId = knocks.knock(knockId).map(k -> k.knock().roomId()).orElse(null);
        return follow("knock:" + knockId, roomId, () -> knockStatus(knockId), true, caps.perKnock());
    }

    public SseEmitter followRoom(ViewRoom room) {
        return follow("room:" + room.roomId(), room.roomId(), () -> rooms.liveRoom(room.name())
                .filter(r -> r.roomId().equals(room.roomId()))
                .map(this::waitingList), false, caps.perRoom());
    }

    /** Open feeds, for health and tests. */
    public int openFeeds() {
        return feeds.size();
    }

    private synchronized SseEmitter follow(String key, String roomId, Supplier<Optional<?>> read,
                                           boolean endsWhenDecided, int cap) {
        String keyId = io.roomgate.edge.Caller.current().keyId();
        long onSource = feeds.values().stream().filter(f -> f.source.key.equals(key)).count();
        if (onSource >= cap) {
            throw tooMany("this " + (endsWhenDecided ? "knock" : "room") + " has " + cap + " open feeds already");
        }
        if (keyId != null && feeds.values().stream().filter(f -> keyId.equals(f.keyId)).count() >= caps.perKey()) {
            throw tooMany("this API key has " + caps.perKey() + " open feeds already");
        }
        Source source = sources.computeIfAbsent(key, k -> new Source(k, roomId, read, endsWhenDecided));
        SseEmitter emitter = new SseEmitter(FEED_TIMEOUT_MS);
        Feed feed = new Feed(source, keyId);
        emitter.onCompletion(() -> remove(emitter));
        emitter.onTimeout(() -> remove(emitter));
        emitter.onError(e -> remove(emitter));
        feeds.put(emitter, feed);
        synchronized (source) {
            refresh(source, Long.MIN_VALUE + 1, System.nanoTime()); // the first answer is read now, as fresh as the request
        }
        deliver(emitter, feed);
        return emitter;
    }

    private static io.roomgate.edge.ApiException tooMany(String info) {
        return new io.roomgate.edge.ApiException(429, "rate-limit-error", info + "; close one or retry later")
                .withHeader("Retry-After", "5");
    }

    private void remove(SseEmitter emitter) {
        Feed feed = feeds.remove(emitter);
        if (feed != null && feeds.values().stream().noneMatch(f -> f.source == feed.source)) {
            sources.remove(feed.source.key, feed.source);
        }
    }

    private void pushQuietly() {
        try {
            push();
        } catch (RuntimeException e) {
            log.debug("knock feeds skipped a poll: {}", e.getClass().getSimpleName());
        }
    }

    private void push() {
        if (feeds.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        java.util.Set<String> roomIds = new java.util.HashSet<>();
        sources.values().forEach(s -> {
            if (s.roomId != null) {
                roomIds.add(s.roomId);
            }
        });
        Map<String, Long> applied = rooms.appliedSequences(roomIds);
        for (Source source : sources.values()) {
            long sequence = source.roomId == null ? Long.MIN_VALUE + 1 : applied.getOrDefault(source.roomId, Long.MIN_VALUE + 1);
            synchronized (source) {
                if (sequence != source.seenSequence || now - source.renderedAtNanos >= REFRESH_NANOS) {
                    refresh(source, sequence, now);
                }
            }
        }
        feeds.forEach((emitter, feed) -> {
            try {
                deliver(emitter, feed);
            } catch (RuntimeException e) {
                log.debug("knock feed failed: {}", e.getClass().getSimpleName());
                remove(emitter);
                emitter.completeWithError(e);
            }
        });
    }

    /** Reads and renders a source again; a new version only if what it shows changed. */
    private void refresh(Source source, long sequence, long now) {
        source.seenSequence = sequence;
        source.renderedAtNanos = now;
        Optional<?> read = source.read.get();
        if (read.isEmpty()) {
            source.gone = true;
            return;
        }
        if (!Objects.equals(source.data, read.get())) {
            source.data = read.get();
            source.version++;
        }
    }

    /** Sends the feed what its source shows if it has not seen it, else a heartbeat when one is due. */
    private void deliver(SseEmitter emitter, Feed feed) {
        Source source = feed.source;
        Object data;
        long version;
        boolean gone;
        synchronized (source) {
            data = source.data;
            version = source.version;
            gone = source.gone;
        }
        if (gone) {
            remove(emitter);
            emitter.complete();
            return;
        }
        long now = System.nanoTime();
        try {
            if (version != feed.sentVersion && data != null) {
                feed.sentVersion = version;
                feed.lastWriteNanos = now;
                emitter.send(SseEmitter.event().name(source.endsWhenDecided ? "knock" : "waiting-list")
                        .data(data, MediaType.APPLICATION_JSON));
                if (source.endsWhenDecided && data instanceof KnockView knock && !"pending".equals(knock.status())) {
                    remove(emitter);
                    emitter.complete();
                }
            } else if (now - feed.lastWriteNanos >= caps.heartbeat().toNanos()) {
                // a comment line: clients ignore it, and writing it finds a client that went away
                feed.lastWriteNanos = now;
                emitter.send(SseEmitter.event().comment("keep-alive"));
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away: end the async request too, or it stays open (and a graceful
            // shutdown waits for it) until the feed's timeout
            remove(emitter);
            emitter.completeWithError(e);
        }
    }

    private KnockView render(ViewKnock k) {
        Instant now = clock.instant();
        return new KnockView(k.knock().knockId(), k.roomName(), k.userName(), k.knock().stateAt(now).name().toLowerCase(),
                k.requestedAt().toString(), k.knock().expiresAt().toString(),
                k.knock().validUntil() == null ? null : k.knock().validUntil().toString(), k.decidedBy(),
                presence.anyOwnerPresent(k.knock().roomId()));
    }

    @Override
    public void close() {
        running = false;
        poller.shutdownNow();
        feeds.keySet().forEach(emitter -> {
            remove(emitter);
            emitter.complete();
        });
    }

    @Override
    public void start() {
        // polling starts with the bean; only stopping matters
    }

    @Override
    public void stop() {
        close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
