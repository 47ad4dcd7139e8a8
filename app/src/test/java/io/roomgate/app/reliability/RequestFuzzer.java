package io.roomgate.app.reliability;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A seeded generator of bad (and some good) requests over every endpoint: malformed and
 * truncated JSON, wrong types, huge numbers, unicode and control characters, oversized bodies,
 * duplicated keys, unknown fields, bad path segments, bad query parameters, wrong methods,
 * content types, Accept headers, credentials and consistency tokens. The same seed gives the
 * same requests.
 */
final class RequestFuzzer {

    /** One generated request. {@code requestId} is sent as {@code X-Request-Id} and ends up in the metadata of any event it causes. */
    record Request(String endpoint, String method, String path, Map<String, String> headers, byte[] body, String mutation) {
        String describe() {
            String shown = body == null ? "(no body)" : body.length > 300
                    ? new String(body, 0, 300, StandardCharsets.UTF_8) + "… (" + body.length + " bytes)"
                    : new String(body, StandardCharsets.UTF_8);
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.computeIfPresent("Authorization", (k, v) -> v.replaceAll("test-(admin|join|audit)-key-\\d+", "<$1 key>"));
            return method + " " + (path.length() > 200 ? path.substring(0, 200) + "…" : path) + " " + h + " " + shown + "  [" + mutation + "]";
        }
    }

    /** The fixture the generator aims at: live rooms, a present owner, a member, a pending knock, a valid token. */
    record Fixture(String publicRoom, String privateRoom, String ownerParticipant, String member, String knock, String token,
                   String adminKey, String joinKey, String auditKey) {
    }

    private final Random random;
    private final Fixture f;
    private final long now = System.currentTimeMillis() / 1000;
    private final List<Endpoint> endpoints = new ArrayList<>();

    private record Endpoint(String name, String method, String scope, Supplier<String> path, Supplier<Map<String, Object>> body,
                            int weight) {
    }

    RequestFuzzer(long seed, Fixture fixture) {
        this.random = new Random(seed);
        this.f = fixture;
        String admin = "admin";
        String join = "join";
        String audit = "audit";
        add("create room", "POST", admin, () -> "/v1/rooms", this::roomBody, 8);
        add("update room", "POST", admin, () -> "/v1/rooms/" + room(), this::roomUpdateBody, 5);
        add("list rooms", "GET", admin, () -> "/v1/rooms" + query("limit", "starting_after", "ending_before"), null, 3);
        add("get room", "GET", admin, () -> "/v1/rooms/" + room(), null, 2);
        add("delete room", "DELETE", admin, () -> "/v1/rooms/" + notFixtureRoom(), null, 2);
        add("issue token", "POST", admin, () -> "/v1/meeting-tokens", this::tokenBody, 8);
        add("validate token", "GET", admin, () -> "/v1/meeting-tokens/" + tokenSegment(), null, 4);
        add("revoke token", "POST", admin, () -> "/v1/meeting-tokens/revoke", this::revokeBody, 4);
        add("add member", "PUT", admin, () -> "/v1/members/" + segment(this::userId), null, 2);
        add("remove member", "DELETE", admin, () -> "/v1/members/" + segment(this::userId), null, 2);
        add("presence", "GET", pick(admin, join), () -> "/v1/rooms/" + room() + "/presence", null, 2);
        add("eject", "POST", admin, () -> "/v1/rooms/" + room() + "/eject", this::ejectBody, 4);
        add("lift ban", "DELETE", admin, () -> "/v1/rooms/" + room() + "/bans/" + segment(this::userId), null, 2);
        add("join check", "POST", join, () -> "/v1/join-checks", this::joinCheckBody, 12);
        add("join", "POST", join, () -> "/v1/rooms/" + room() + "/participants", this::joinBody, 8);
        add("leave", "DELETE", join, () -> "/v1/rooms/" + room() + "/participants/" + segment(this::participantId), null, 2);
        add("knock", "POST", join, () -> "/v1/rooms/" + room() + "/knocks", this::knockBody, 5);
        add("waiting list", "GET", join, () -> "/v1/rooms/" + room() + "/knocks", null, 2);
        add("knock status", "GET", join, () -> "/v1/knocks/" + knockSegment(), null, 2);
        add("approve", "POST", join, () -> "/v1/knocks/" + knockSegment() + "/approve", this::decideBody, 3);
        add("deny", "POST", join, () -> "/v1/knocks/" + knockSegment() + "/deny", this::decideBody, 3);
        add("withdraw", "POST", join, () -> "/v1/knocks/" + segment(() -> "knock-" + random.nextInt(1000)) + "/withdraw", null, 1);
        add("follow knock", "GET", join, () -> "/v1/knocks/" + segment(() -> "knock-" + random.nextInt(1000)) + "/events", null, 1);
        add("follow room", "GET", join, () -> "/v1/rooms/" + segment(() -> "no-room-" + random.nextInt(1000)) + "/knocks/events", null, 1);
        add("audit", "GET", audit, () -> "/v1/audit/events" + query("room_name", "after", "limit"), null, 4);
        add("projection status", "GET", admin, () -> "/v1/admin/projections/" + segment(() -> pick("join-eligibility", "nope", "webhooks")) + "/status", null, 1);
        add("projection replay", "POST", admin, () -> "/v1/admin/projections/" + segment(() -> pick("no-such-view", "JOIN-ELIGIBILITY", "join_eligibility")) + "/replay", null, 1);
        add("create webhook", "POST", admin, () -> "/v1/webhooks", this::webhookBody, 2);
        add("get webhook", "GET", admin, () -> "/v1/webhooks/" + segment(() -> "hook-" + random.nextInt(100)), null, 1);
        add("update webhook", "POST", admin, () -> "/v1/webhooks/" + segment(() -> "hook-" + random.nextInt(100)), this::webhookBody, 1);
        add("delete webhook", "DELETE", admin, () -> "/v1/webhooks/" + segment(() -> "hook-" + random.nextInt(100)), null, 1);
        add("deliveries", "GET", admin, () -> "/v1/webhooks/" + segment(() -> "hook-" + random.nextInt(100)) + "/deliveries" + query("limit"), null, 1);
        add("no such endpoint", "GET", admin, () -> pick("/v1", "/v1/", "/v1/nothing", "/v2/rooms", "/v1/rooms/a/b/c", "/v1//rooms",
                "/v1/rooms/" + f.publicRoom() + "/presence/x", "/v1/knocks", "/v1/meeting-tokens"), null, 1);
    }

    private void add(String name, String method, String scope, Supplier<String> path, Supplier<Map<String, Object>> body, int weight) {
        endpoints.add(new Endpoint(name, method, scope, path, body, weight));
    }

    Request next() {
        int total = endpoints.stream().mapToInt(Endpoint::weight).sum();
        int r = random.nextInt(total);
        Endpoint e = null;
        for (Endpoint candidate : endpoints) {
            r -= candidate.weight();
            if (r < 0) {
                e = candidate;
                break;
            }
        }
        List<String> mutations = new ArrayList<>();
        String method = e.method();
        if (chance(3)) {
            method = pick("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE");
            mutations.add("method " + method);
        }
        String path = e.path().get();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", authorization(e.scope(), mutations));
        byte[] body = null;
        if (e.body() != null) {
            body = body(e.body().get(), mutations);
            headers.put("Content-Type", "application/json");
        } else if (chance(4)) {
            body = garbageBody(mutations);
            headers.put("Content-Type", "application/json");
        }
        if (body != null && chance(5)) {
            String ct = pick("text/plain", "application/xml", "application/json; charset=utf-16", "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x", "application/merge-patch+json", "*/*", "application/json; charset=klingon", "json");
            headers.put("Content-Type", ct);
            mutations.add("content-type " + ct);
        }
        if (chance(4)) {
            String accept = pick("application/xml", "text/event-stream", "text/html", "application/x-ndjson", "*/*;q=0", "garbage", "image/png");
            headers.put("Accept", accept);
            mutations.add("accept " + accept);
        }
        if (chance(3)) {
            String c = pick("!!!", "", "YzF8", b64("c1|x"), b64("c2|a|1"), b64("c1|a|b"), b64("c1||1"), b64("c1|a|1|x"),
                    "x".repeat(600), b64("c1|" + "z".repeat(50) + "|99999999999999999999"), "%00", "c1|a|1");
            headers.put("X-Consistency-Token", c);
            mutations.add("consistency token");
        }
        if (mutations.isEmpty()) {
            mutations.add("well-formed");
        }
        return new Request(e.name(), method, path, headers, body, String.join(", ", mutations));
    }

    // ---- credentials

    private String authorization(String scope, List<String> mutations) {
        String right = switch (scope) {
            case "admin" -> f.adminKey();
            case "join" -> f.joinKey();
            default -> f.auditKey();
        };
        int r = random.nextInt(100);
        if (r < 92) {
            return "Bearer " + right;
        }
        mutations.add("credential");
        return switch (r) {
            case 92, 93 -> "Bearer " + pick(f.adminKey(), f.joinKey(), f.auditKey());
            case 94 -> "Bearer fuzz-unknown-key-" + random.nextInt(1000);
            case 95 -> "Basic " + b64(right + ":");
            case 96 -> "Bearer ";
            case 97 -> right;
            case 98 -> "Bearer " + right + "\t";
            default -> "Bearer " + right.substring(0, right.length() - 1);
        };
    }

    // ---- bodies

    private Map<String, Object> roomBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!chance(20)) {
            m.put("name", pick(() -> "fz" + Long.toHexString(random.nextLong()), () -> f.publicRoom(), this::weirdString));
        }
        if (chance(50)) {
            m.put("privacy", pick("public", "private", "PRIVATE", "secret", ""));
        }
        if (chance(60)) {
            m.put("properties", roomProperties());
        }
        return m;
    }

    private Map<String, Object> roomUpdateBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (chance(50)) {
            m.put("privacy", pick("public", "private", "nope"));
        }
        if (chance(70)) {
            m.put("properties", roomProperties());
        }
        return m;
    }

    private Map<String, Object> roomProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (chance(30)) p.put("exp", epoch());
        if (chance(20)) p.put("nbf", epoch());
        if (chance(30)) p.put("max_participants", pick(() -> random.nextInt(10) + 1, () -> 0, () -> -1, () -> 1_000_000, this::number));
        if (chance(30)) p.put("enable_knocking", random.nextBoolean());
        if (chance(10)) p.put("eject_at_room_exp", random.nextBoolean());
        if (chance(10)) p.put("eject_after_elapsed", pick(() -> random.nextInt(7200), () -> -5, this::number));
        if (chance(10)) p.put("enforce_unique_user_ids", random.nextBoolean());
        return p;
    }

    private Map<String, Object> tokenBody() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (!chance(10)) p.put("room_name", pick(() -> f.publicRoom(), () -> f.privateRoom(), this::weirdString));
        if (chance(30)) p.put("exp", epoch());
        if (chance(15)) p.put("nbf", epoch());
        if (chance(30)) p.put("is_owner", random.nextBoolean());
        if (chance(30)) p.put("user_name", pick(() -> "Ann", this::weirdString));
        if (chance(30)) p.put("user_id", pick(() -> "u-" + random.nextInt(50), this::weirdString, () -> "x".repeat(37)));
        if (chance(10)) p.put("eject_at_token_exp", random.nextBoolean());
        if (chance(10)) p.put("eject_after_elapsed", pick(() -> random.nextInt(3600), this::number));
        if (chance(10)) p.put("knocking", random.nextBoolean());
        if (chance(10)) p.put("permissions", pick(() -> Map.of("canAdmin", List.of("participants")), () -> Map.of("canAdmin", true),
                () -> Map.of("canSend", List.of("video")), () -> Map.of("bogus", 1)));
        if (chance(10)) p.put("lang", pick("en", "de", "xx"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("properties", p);
        if (chance(10)) m.put("allow_all_rooms", random.nextBoolean());
        return m;
    }

    private Map<String, Object> revokeBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            // some jtis are member ids too: a token and a member of one id are two aggregates (AggregateIdCollisionIT)
            m.put("jti", pick(() -> "jti-" + random.nextInt(100), () -> "jti-" + weirdString(), () -> "j".repeat(300), this::userId));
        } else {
            m.put("token", tokenText());
        }
        return m;
    }

    private Map<String, Object> ejectBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (chance(60)) m.put("ids", List.of(participantId(), participantId()));
        if (chance(60)) m.put("user_ids", List.of(userId()));
        if (chance(50)) m.put("ban", random.nextBoolean());
        return m;
    }

    private Map<String, Object> joinCheckBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!chance(10)) m.put("room_name", pick(() -> f.publicRoom(), () -> f.privateRoom(), this::weirdString, () -> "no-such-room"));
        if (chance(40)) m.put("token", tokenText());
        if (chance(20)) m.put("knock_id", pick(() -> f.knock(), this::weirdString));
        if (chance(20)) m.put("member_id", pick(() -> f.member(), this::weirdString));
        if (chance(20)) m.put("user_id", userId());
        if (chance(20)) m.put("participant_id", participantId());
        if (chance(20)) m.put("at", pick("2026-01-01T00:00:00Z", "yesterday", "", "+999999999-12-31T23:59:59Z",
                "-999999999-01-01T00:00:00Z", "2026-13-45T99:99:99Z", "1970-01-01T00:00:00Z", java.time.Instant.now().toString()));
        return m;
    }

    private Map<String, Object> joinBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!chance(10)) m.put("participant_id", participantId());
        if (chance(30)) m.put("user_name", pick(() -> "Bo", this::weirdString));
        if (chance(30)) m.put("user_id", userId());
        if (chance(30)) m.put("token", tokenText());
        if (chance(15)) m.put("knock_id", pick(() -> f.knock(), this::weirdString));
        if (chance(15)) m.put("member_id", pick(() -> f.member(), this::weirdString));
        return m;
    }

    private Map<String, Object> knockBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!chance(10)) m.put("user_name", pick(() -> "Kim", this::weirdString, () -> "k".repeat(201)));
        return m;
    }

    private Map<String, Object> decideBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!chance(10)) m.put("by_participant_id", pick(() -> f.ownerParticipant(), this::participantId, this::weirdString));
        return m;
    }

    private Map<String, Object> webhookBody() {
        Map<String, Object> m = new LinkedHashMap<>();
        // every URL that could pass validation is on this machine's discard port
        if (!chance(10)) m.put("url", pick("not a url", "ftp://127.0.0.1:9/x", "javascript:alert(1)", "http://", "http://127.0.0.1:9/fuzz",
                "https://localhost:9/fuzz", "http://[::1]:9/fuzz", "http://user:pw@127.0.0.1:9/", "file:///etc/passwd", "", "h".repeat(3000)));
        if (chance(70)) m.put(pick("event_types", "eventTypes"), pick(() -> List.of("participant.joined"), () -> List.of("nope"),
                () -> List.of(), () -> List.of("room.deleted", "room.deleted")));
        if (chance(10)) m.put("state", pick("active", "failing", "paused"));
        return m;
    }

    // ---- values

    private Object epoch() {
        return pick(() -> now + 3600 + random.nextInt(86_400 * 30), () -> now - 3600, () -> now * 1000, () -> 0, () -> -1,
                () -> Long.MAX_VALUE, this::number, () -> "tomorrow");
    }

    private Object number() {
        return new Raw(pick("1e400", "-1e400", "99999999999999999999999999", "9223372036854775808", "-9223372036854775809",
                "1.5", "-0", "0.0", "1e-400", "2147483648", "1E3", "123456789012345678901234567890.5",
                // issue 16: the largest values that still parse (2^63-1 as eject_after_elapsed was a 500 later)
                "9223372036854775807", "-9223372036854775808", "2147483647", "-2147483648", "1e308", "253402300800", "-1"));
    }

    private String weirdString() {
        return pick(() -> "", () -> " ", () -> "a", () -> "x".repeat(129), () -> "y".repeat(5000), () -> "ünïcødé", () -> "😀🎉",
                () -> "\u202egnp.exe", () -> "zero\u200bwidth", () -> "nul\u0000byte", () -> "bell\u0007", () -> "tab\tnew\nline",
                () -> "\ud800", () -> "\udfff\ud800", () -> "' OR '1'='1", () -> "<script>alert(1)</script>", () -> "${jndi:ldap://127.0.0.1:9/x}",
                () -> "%s%n%x", () -> "../../etc/passwd", () -> "null", () -> "a/b", () -> "a.b", () -> "COM1", () -> "\\u0000",
                () -> "\uFEFFbom", () -> "ǅ", () -> "İ", () -> "Ω".repeat(200), () -> "room " + random.nextInt());
    }

    private String tokenText() {
        String t = f.token();
        String[] p = t.split("\\.");
        return pick(() -> t, () -> t.substring(0, t.length() / 2), () -> p[0] + "." + p[1] + ".", () -> "eyJhbGciOiJub25lIn0." + p[1] + ".",
                () -> t + "x", () -> t.replace('-', '+'), () -> "a.b.c", this::weirdString, () -> "eyJ" + "A".repeat(9000), () -> t + "\n");
    }

    private String userId() {
        return pick(() -> "u-" + random.nextInt(50), this::weirdString);
    }

    private String participantId() {
        return pick(() -> "p-" + random.nextInt(50), () -> f.ownerParticipant(), this::weirdString);
    }

    private String room() {
        return segment(() -> pick(f.publicRoom(), f.privateRoom(), "no-such-room", "fz" + random.nextInt(100)));
    }

    private String notFixtureRoom() {
        return segment(() -> pick("no-such-room", "fz" + Long.toHexString(random.nextLong()), "x".repeat(129)));
    }

    private String tokenSegment() {
        String t = f.token();
        return segment(() -> pick(t, t.substring(0, 20), t + "x", "a.b.c", "eyJ" + "A".repeat(3000), t.replace('.', '_')));
    }

    private String knockSegment() {
        return segment(() -> pick(f.knock(), "knock-" + random.nextInt(100), "00000000-0000-0000-0000-000000000000"));
    }

    /** A path segment: mostly a good value, sometimes percent-encoded trouble. */
    private String segment(Supplier<String> good) {
        if (!chance(25)) {
            return encode(good.get());
        }
        return pick("%ZZ", "%2F", "%2f..%2f", "%00", "%C0%AF", "%E2%80%AE", "..", "%2e%2e", ".", "a;b=c", "a%20b", "a" + "b".repeat(3000),
                "%F0%9F%98%80", "%5C", "~", "!$&'()*+,;=", "%25", "%u0041", "%", "%%", "%C3%28", "%ED%A0%80", "%0D%0AX-Injected:%201",
                "%3Cscript%3E", "%7B%7D", "null", "-1", "0", encode("ünï"), encode(weirdString()));
    }

    private String query(String... names) {
        StringBuilder q = new StringBuilder();
        for (String n : names) {
            if (random.nextBoolean()) {
                q.append(q.length() == 0 ? "?" : "&").append(n).append('=').append(pick("1", "0", "-1", "100", "101", "abc", "",
                        "99999999999999999999", "1e3", "OLDEST", "%00", "%ZZ", "NaN", f.publicRoom(), encode(weirdString())));
            }
        }
        if (chance(20)) {
            q.append(q.length() == 0 ? "?" : "&").append(pick("unknown=1", "limit=1&limit=2", "=x", "&&", "a[b]=c", "%=%", "limit"));
        }
        return q.toString();
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.toString();
    }

    // ---- body mutations

    private record Raw(String json) {
    }

    private byte[] body(Map<String, Object> valid, List<String> mutations) {
        Map<String, Object> m = new LinkedHashMap<>(valid);
        if (chance(30)) {
            return json(m).getBytes(StandardCharsets.UTF_8);
        }
        int n = 1 + random.nextInt(2);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(6)) {
                case 0 -> { // a field of the wrong type
                    String k = anyKey(m);
                    m.put(k, pick(() -> 1, () -> true, () -> null, () -> List.of(1, "a"), () -> Map.of("a", 1), () -> "text", this::number));
                    mutations.add("wrong type " + k);
                }
                case 1 -> {
                    String k = anyKey(m);
                    m.put(k, number());
                    mutations.add("odd number " + k);
                }
                case 2 -> {
                    String k = anyKey(m);
                    m.put(k, weirdString());
                    mutations.add("odd string " + k);
                }
                case 3 -> {
                    if (m.get("properties") instanceof Map<?, ?> p && random.nextBoolean()) {
                        Map<String, Object> inner = new LinkedHashMap<>();
                        p.forEach((a, b) -> inner.put(String.valueOf(a), b));
                        inner.put(pick("zzz", "enable_recording", "Name", "exp_ms", "__proto__"), 1);
                        m.put("properties", inner);
                    } else {
                        m.put(pick("zzz", "Name", "roomName", "__proto__", "name ", ""), pick(() -> 1, () -> "x"));
                    }
                    mutations.add("unknown field");
                }
                case 4 -> {
                    if (!m.isEmpty()) {
                        String k = anyKey(m);
                        m.remove(k);
                        mutations.add("missing " + k);
                    }
                }
                default -> {
                    m.put(anyKey(m), deep(random.nextInt(3000) + 10));
                    mutations.add("deep nesting");
                }
            }
        }
        String text = json(m);
        int textMutation = random.nextInt(12);
        switch (textMutation) {
            case 0 -> {
                text = text.substring(0, random.nextInt(Math.max(1, text.length())));
                mutations.add("truncated");
            }
            case 1 -> {
                if (!m.isEmpty()) {
                    String k = anyKey(m);
                    text = "{" + quote(k) + ":" + pick("\"dup\"", "1", "null", "{}") + "," + text.substring(1);
                    mutations.add("duplicated key " + k);
                }
            }
            case 2 -> {
                text = text + pick("x", "{}", " 1", "\u0000", "]", "\n{}");
                mutations.add("trailing data");
            }
            case 3 -> {
                int at = text.indexOf('"', 1);
                if (at > 0) {
                    text = text.substring(0, at + 1) + pick("\u0001", "\n", "\u001f", "\t") + text.substring(at + 1);
                    mutations.add("raw control character");
                }
            }
            case 4 -> {
                mutations.add("invalid UTF-8");
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int at = Math.max(1, text.indexOf('"', 1) + 1);
                out.write(b, 0, Math.min(at, b.length));
                byte[][] bad = {{(byte) 0xff}, {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xe2, (byte) 0x82}};
                byte[] chosen = bad[random.nextInt(bad.length)];
                out.write(chosen, 0, chosen.length);
                out.write(b, Math.min(at, b.length), b.length - Math.min(at, b.length));
                return out.toByteArray();
            }
            case 5 -> {
                mutations.add("oversized");
                return ("{\"pad\":\"" + "x".repeat(64 * 1024 + random.nextInt(100_000)) + "\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
            }
            case 6 -> {
                return garbageBody(mutations);
            }
            case 7 -> {
                text = "\uFEFF" + text;
                mutations.add("byte order mark");
            }
            default -> {
                // the tree mutations alone
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] garbageBody(List<String> mutations) {
        mutations.add("garbage body");
        if (chance(15)) {
            byte[] b = new byte[random.nextInt(200) + 1];
            random.nextBytes(b);
            return b;
        }
        return pick("", "null", "[]", "\"x\"", "123", "{", "}", "{{}}", "{\"a\"}", "{'a':1}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}",
                "{\"a\":Infinity}", "\u0000", "<xml/>", "a=b&c=d", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\x41\"}", "/* c */ {}", "{\"a\":1}{\"a\":2}",
                "[".repeat(5000), "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}", "true", "{\"\":\"\"}", " ").getBytes(StandardCharsets.UTF_8);
    }

    private Object deep(int depth) {
        return new Raw("[".repeat(depth) + "]".repeat(depth));
    }

    private String anyKey(Map<String, Object> m) {
        if (m.isEmpty() || chance(15)) {
            return pick("name", "room_name", "properties", "token", "privacy", "user_name", "participant_id");
        }
        List<String> keys = new ArrayList<>(m.keySet());
        return keys.get(random.nextInt(keys.size()));
    }

    private static String json(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Raw r) {
            return r.json();
        }
        if (v instanceof String s) {
            return quote(s);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            m.forEach((k, x) -> {
                if (b.length() > 1) b.append(',');
                b.append(quote(String.valueOf(k))).append(':').append(json(x));
            });
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            l.forEach(x -> {
                if (b.length() > 1) b.append(',');
                b.append(json(x));
            });
            return b.append(']').toString();
        }
        throw new IllegalArgumentException(String.valueOf(v));
    }

    /** A JSON string literal; lone surrogates are written as escapes (valid JSON, invalid UTF-16). */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String b64(String s) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    @SafeVarargs
    private <T> T pick(Supplier<? extends T>... options) {
        return options[random.nextInt(options.length)].get();
    }
}
