package io.roomgate.query.web;

import io.roomgate.access.KnockState;
import io.roomgate.query.view.JoinView;
import io.roomgate.query.view.JoinView.ViewKnock;
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
import java.util.LinkedHashMap;
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
 * Knock status and waiting lists, once or live. Live feeds re-read the view every
 * {@code POLL} and send an event when what they show has changed: that works whichever query
 * node applied the decision. A knock's feed ends once the knock is decided. On shutdown the open
 * feeds end first (this lifecycle stops before the web server's graceful shutdown, which would
 * otherwise wait its whole timeout for streams that never end); clients reconnect to another node.
 */
public class KnockFeeds implements AutoCloseable, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KnockFeeds.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final long FEED_TIMEOUT_MS = Duration.ofMinutes(30).toMillis();

    private final JoinView view;
    private final Clock clock;
    private final Map<SseEmitter, Feed> feeds = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "knock-feeds");
        t.setDaemon(true);
        return t;
    });

    private record Feed(Supplier<Optional<Map<String, Object>>> read, boolean endsWhenDecided, Object[] last) {
    }

    public KnockFeeds(JoinView view, Clock clock) {
        this.view = view;
        this.clock = clock;
        poller.scheduleWithFixedDelay(this::push, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public Optional<Map<String, Object>> knockStatus(String knockId) {
        return view.knock(knockId).map(this::render);
    }

    public Map<String, Object> waitingList(ViewRoom room) {
        List<Map<String, Object>> data = view.waitingKnocks(room.roomId()).stream()
                .filter(k -> k.knock().stateAt(clock.instant()) == KnockState.PENDING)
                .map(this::render).toList();
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("room_name", room.name());
        list.put("owner_present", view.anyOwnerPresent(room.roomId()));
        list.put("total_count", data.size());
        list.put("data", data);
        return list;
    }

    public SseEmitter followKnock(String knockId) {
        return follow(new Feed(() -> knockStatus(knockId), true, new Object[1]));
    }

    public SseEmitter followRoom(ViewRoom room) {
        return follow(new Feed(() -> view.liveRoom(room.name())
                .filter(r -> r.roomId().equals(room.roomId()))
                .map(this::waitingList), false, new Object[1]));
    }

    private SseEmitter follow(Feed feed) {
        SseEmitter emitter = new SseEmitter(FEED_TIMEOUT_MS);
        emitter.onCompletion(() -> feeds.remove(emitter));
        emitter.onTimeout(() -> feeds.remove(emitter));
        emitter.onError(e -> feeds.remove(emitter));
        feeds.put(emitter, feed);
        send(emitter, feed);
        return emitter;
    }

    private void push() {
        feeds.forEach((emitter, feed) -> {
            try {
                send(emitter, feed);
            } catch (RuntimeException e) {
                log.debug("knock feed failed: {}", e.getClass().getSimpleName());
                feeds.remove(emitter);
                emitter.completeWithError(e);
            }
        });
    }

    private void send(SseEmitter emitter, Feed feed) {
        Optional<Map<String, Object>> now = feed.read().get();
        if (now.isEmpty()) {
            feeds.remove(emitter);
            emitter.complete();
            return;
        }
        Map<String, Object> data = now.get();
        Map<String, Object> comparable = new LinkedHashMap<>(data);
        comparable.remove("checked_at");
        if (Objects.equals(feed.last()[0], comparable)) {
            return;
        }
        feed.last()[0] = comparable;
        try {
            emitter.send(SseEmitter.event().name(feed.endsWhenDecided() ? "knock" : "waiting-list")
                    .data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            // the client went away: end the async request too, or it stays open (and a graceful
            // shutdown waits for it) until the feed's timeout
            feeds.remove(emitter);
            emitter.completeWithError(e);
            return;
        }
        if (feed.endsWhenDecided() && !"pending".equals(data.get("status"))) {
            feeds.remove(emitter);
            emitter.complete();
        }
    }

    private Map<String, Object> render(ViewKnock k) {
        Instant now = clock.instant();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.knock().knockId());
        m.put("room_name", k.roomName());
        m.put("user_name", k.userName());
        m.put("status", k.knock().stateAt(now).name().toLowerCase());
        m.put("requested_at", k.requestedAt().toString());
        m.put("expires_at", k.knock().expiresAt().toString());
        m.put("valid_until", k.knock().validUntil() == null ? null : k.knock().validUntil().toString());
        m.put("decided_by", k.decidedBy());
        m.put("owner_present", view.anyOwnerPresent(k.knock().roomId()));
        return m;
    }

    @Override
    public void close() {
        running = false;
        poller.shutdownNow();
        feeds.keySet().forEach(emitter -> {
            feeds.remove(emitter);
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
