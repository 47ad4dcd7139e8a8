package io.roomgate.command.webhook;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The webhook tables: registrations, the delivery outbox, the attempt log. */
public class WebhookStore {

    public record Webhook(String id, String url, Set<String> eventTypes, String secret, String state,
                          int consecutiveFailures, String lastError, long fromPosition, Instant createdAt) {
    }

    public record Delivery(String id, String webhookId, String roomKey, long position, String eventType, String body,
                           String status, int attempts, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt) {
    }

    public record Attempt(String deliveryId, Instant attemptedAt, Integer statusCode, int latencyMs, String error) {
    }

    private static final RowMapper<Delivery> DELIVERY = (rs, i) -> new Delivery(rs.getString("id"), rs.getString("webhook_id"),
            rs.getString("room_key"), rs.getLong("position"), rs.getString("event_type"), rs.getString("body"),
            rs.getString("status"), rs.getInt("attempts"), rs.getTimestamp("next_attempt_at").toInstant(),
            rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("delivered_at") == null ? null : rs.getTimestamp("delivered_at").toInstant());

    private final JdbcTemplate jdbc;
    private final WebhookSecrets secrets;
    /** A webhook row, its secret decrypted. */
    private final RowMapper<Webhook> WEBHOOK;

    public WebhookStore(JdbcTemplate jdbc, WebhookSecrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
        this.WEBHOOK = (rs, i) -> new Webhook(rs.getString("id"), rs.getString("url"),
                new LinkedHashSet<>(Arrays.asList(rs.getString("event_types").split(","))),
                secrets.decrypt(rs.getString("secret"), rs.getString("id")),
                rs.getString("state"), rs.getInt("consecutive_failures"), rs.getString("last_error"),
                rs.getLong("from_position"), rs.getTimestamp("created_at").toInstant());
    }

    public void create(Webhook w, Instant now) {
        jdbc.update("insert into webhook (id, url, event_types, secret, state, consecutive_failures, from_position, created_at, updated_at) "
                        + "values (?, ?, ?, ?, 'active', 0, ?, ?, ?)",
                w.id(), w.url(), String.join(",", w.eventTypes()), secrets.encrypt(w.secret(), w.id()), w.fromPosition(), ts(now), ts(now));
    }

    /**
     * Writes again, under the current key, the secrets stored in plaintext (before they were
     * encrypted at rest) or under another key (before a rotation); at start. Returns how many.
     */
    public int encryptStoredSecrets() {
        int n = 0;
        for (var row : jdbc.queryForList("select id, secret from webhook")) {
            String id = (String) row.get("id"); // Spring's row maps ignore the case of column names
            String stored = (String) row.get("secret");
            if (secrets.isStale(stored)) {
                n += jdbc.update("update webhook set secret = ? where id = ? and secret = ?",
                        secrets.encrypt(secrets.decrypt(stored, id), id), id, stored);
            }
        }
        return n;
    }

    /** The newest position in the event store: a new webhook hears of what happens after it. */
    public long head() {
        Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        return head == null ? -1 : head;
    }

    public Optional<Webhook> find(String id) {
        return jdbc.query("select * from webhook where id = ?", WEBHOOK, id).stream().findFirst();
    }

    public List<Webhook> all() {
        return jdbc.query("select * from webhook order by created_at desc, id", WEBHOOK);
    }

    public void update(String id, String url, Set<String> eventTypes, boolean reactivate, Instant now) {
        jdbc.update("update webhook set url = coalesce(?, url), event_types = coalesce(?, event_types), updated_at = ? where id = ?",
                url, eventTypes == null ? null : String.join(",", eventTypes), ts(now), id);
        if (reactivate) {
            jdbc.update("update webhook set state = 'active', consecutive_failures = 0, last_error = null where id = ?", id);
        }
    }

    public boolean delete(String id) {
        jdbc.update("delete from webhook_delivery where webhook_id = ?", id);
        jdbc.update("delete from webhook_attempt where webhook_id = ?", id);
        return jdbc.update("delete from webhook where id = ?", id) > 0;
    }

    /** The webhooks that may be notified: every one not deleted. */
    public List<Webhook> notifiable() {
        return jdbc.query("select * from webhook where state <> 'deleted'", WEBHOOK);
    }

    /**
     * Queues a notification for every webhook of {@code webhooks} (from {@link #notifiable()})
     * subscribed to its type; a replayed event queues nothing twice.
     */
    public void enqueue(List<Webhook> webhooks, WebhookEventType type, String roomKey, long position,
                        java.util.function.Function<String, String> body, Instant now) {
        for (Webhook w : webhooks) {
            if (!w.eventTypes().contains(type.wireName()) || position <= w.fromPosition()) {
                continue;
            }
            Integer already = jdbc.queryForObject("select count(*) from webhook_delivery where webhook_id = ? and position = ?",
                    Integer.class, w.id(), position);
            if (already != null && already > 0) {
                continue;
            }
            String id = UUID.randomUUID().toString();
            jdbc.update("insert into webhook_delivery (id, webhook_id, room_key, position, event_type, body, status, attempts, "
                            + "next_attempt_at, created_at) values (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                    id, w.id(), roomKey, position, type.wireName(), body.apply(id), ts(now), ts(now));
        }
    }

    /** Due deliveries that are first in line for their webhook and room: order per room is kept. */
    public List<Delivery> due(Instant now, int limit) {
        return jdbc.query("select * from webhook_delivery d where d.status = 'pending' and d.next_attempt_at <= ? "
                + "and (d.claimed_until is null or d.claimed_until < ?) and not exists (select 1 from webhook_delivery e "
                + "where e.webhook_id = d.webhook_id and e.room_key = d.room_key and e.status = 'pending' "
                + "and e.position < d.position) order by d.position fetch first " + limit + " rows only",
                DELIVERY, ts(now), ts(now));
    }

    /** Takes a delivery for this sender for a while; false if another sender has it. */
    public boolean claim(String deliveryId, Instant now, Instant until) {
        return jdbc.update("update webhook_delivery set claimed_until = ? where id = ? and status = 'pending' "
                + "and (claimed_until is null or claimed_until < ?)", ts(until), deliveryId, ts(now)) == 1;
    }

    /** Gives a claimed delivery back: due again at once, its attempts unchanged. */
    public void release(String deliveryId) {
        jdbc.update("update webhook_delivery set claimed_until = null where id = ? and status = 'pending'", deliveryId);
    }

    public void delivered(Delivery d, Attempt a) {
        log(d, a);
        jdbc.update("update webhook_delivery set status = 'delivered', attempts = attempts + 1, delivered_at = ?, "
                + "claimed_until = null where id = ?", ts(a.attemptedAt()), d.id());
        jdbc.update("update webhook set consecutive_failures = 0, state = 'active' where id = ?", d.webhookId());
    }

    public void failed(Delivery d, Attempt a, Instant retryAt, boolean giveUp, int failingAfter) {
        log(d, a);
        jdbc.update("update webhook_delivery set status = ?, attempts = attempts + 1, next_attempt_at = ?, claimed_until = null "
                + "where id = ?", giveUp ? "failed" : "pending", ts(retryAt), d.id());
        jdbc.update("update webhook set consecutive_failures = consecutive_failures + 1, last_error = ? where id = ?",
                a.error() != null ? a.error() : "HTTP " + a.statusCode(), d.webhookId());
        jdbc.update("update webhook set state = 'failing' where id = ? and consecutive_failures >= ?", d.webhookId(), failingAfter);
    }

    private void log(Delivery d, Attempt a) {
        jdbc.update("insert into webhook_attempt (delivery_id, webhook_id, attempted_at, status_code, latency_ms, error) "
                + "values (?, ?, ?, ?, ?, ?)", d.id(), d.webhookId(), ts(a.attemptedAt()), a.statusCode(), a.latencyMs(), a.error());
    }

    public List<Delivery> deliveries(String webhookId, int limit) {
        return jdbc.query("select * from webhook_delivery where webhook_id = ? order by position desc fetch first " + limit
                + " rows only", DELIVERY, webhookId);
    }

    public List<Attempt> attempts(String deliveryId) {
        return jdbc.query("select * from webhook_attempt where delivery_id = ? order by id",
                (rs, i) -> new Attempt(rs.getString("delivery_id"), rs.getTimestamp("attempted_at").toInstant(),
                        (Integer) rs.getObject("status_code"), rs.getInt("latency_ms"), rs.getString("error")), deliveryId);
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
