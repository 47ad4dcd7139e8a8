package io.roomgate.bench.jmh;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.roomgate.access.JoinAttempt;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.Knock;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.RoomRules;
import io.roomgate.access.RoomState;
import io.roomgate.access.Verdict;
import io.roomgate.events.EventJson;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;
import io.roomgate.query.check.JoinCheckService;
import io.roomgate.query.view.JoinView;
import io.roomgate.token.MeetingTokens;
import io.roomgate.token.SigningKeys;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Row 2 of BENCHMARKS.md: the in-process join check against nimbus-jose-jwt verifying the same
 * tokens alone. Every invocation takes the next token of a pool of {@code tokens} distinct
 * tokens (each with its own jti, user and room), so nothing can be cached per token string
 * unless the cache holds the whole pool.
 *
 * <ul>
 * <li>{@code floor_nimbusVerify}: {@code SignedJWT.parse} + HS256 {@code verify} (one MACVerifier
 *     built once) + {@code getJWTClaimsSet()}: what any HS256 JWT check has to do.</li>
 * <li>{@code part_meetingTokensVerify}: roomgate's {@code MeetingTokens.verify} alone (canonical-form
 *     check, parse, verify with a MACVerifier per call, domain, claim mapping).</li>
 * <li>{@code subject_mapView}: {@code MeetingTokens.verify} + revocation lookup + {@code JoinPolicy.decide}
 *     over a HashMap-backed {@link RoomState}: the CPU cost of the check with a free view.</li>
 * <li>{@code subject_h2View}: the real {@link JoinCheckService} over the real {@link JoinView}
 *     (JdbcTemplate, HikariCP) on H2 in-memory migrated by the project's Flyway scripts, with
 *     {@code rooms} rooms in view_room and 1,000 revoked tokens.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JoinCheckBench {

    static final byte[] KEY = "bench-only-signing-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final String KID = "bench-1";
    static final String DOMAIN = "bench-domain";

    /** Tokens and rooms shared by all threads; built once per fork. */
    @State(Scope.Benchmark)
    public static class World {
        @Param({"100000"})
        public int rooms;
        @Param({"65536"})
        public int tokens;
        /** {@code mem}: H2 in-memory; {@code file}: H2 file database under java.io.tmpdir (as the embedded app). */
        @Param({"mem"})
        public String db;

        MeetingTokens meetingTokens;
        MACVerifier verifier;
        String[] tokenText;
        String[] tokenRoom;
        String[] roomNames;
        MapState mapState;
        String[] roomIds;
        Set<String> revokedIds;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            meetingTokens = new MeetingTokens(new SigningKeys(Map.of(KID, KEY), KID), DOMAIN);
            verifier = new MACVerifier(KEY);
            roomNames = new String[rooms];
            String[] ids = new String[rooms];
            for (int i = 0; i < rooms; i++) {
                roomNames[i] = "bench-room-" + i;
                ids[i] = UUID.nameUUIDFromBytes(roomNames[i].getBytes(StandardCharsets.UTF_8)).toString();
            }
            tokenText = new String[tokens];
            tokenRoom = new String[tokens];
            Instant now = Instant.now();
            long exp = now.getEpochSecond() + 86_400;
            java.util.Random random = new java.util.Random(42);
            for (int i = 0; i < tokens; i++) {
                String room = roomNames[random.nextInt(rooms)];
                MeetingTokenClaims claims = new MeetingTokenClaims(room, exp, null, i % 10 == 0, "user " + i, "user-" + i,
                        false, null, false, Map.of(), Map.of());
                tokenText[i] = meetingTokens.issue(claims, UUID.randomUUID().toString(), now);
                tokenRoom[i] = room;
            }
            Set<String> revoked = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                revoked.add(UUID.randomUUID().toString());
            }
            mapState = new MapState(roomNames, ids, revoked);

            roomIds = ids;
            revokedIds = revoked;
        }
    }

    /** The real view on H2, only for the benchmark that reads it (its set-up is the slow one). */
    @State(Scope.Benchmark)
    public static class H2World {
        HikariDataSource dataSource;
        JoinCheckService service;
        String dbPath;

        @Setup(Level.Trial)
        public void setUp(World w) throws Exception {
            String db = w.db;
            int rooms = w.rooms;
            int tokens = w.tokens;
            String[] roomNames = w.roomNames;
            String[] roomIds = w.roomIds;
            String[] tokenRoom = w.tokenRoom;
            String[] tokenText = w.tokenText;
            MeetingTokens meetingTokens = w.meetingTokens;
            Set<String> revoked = w.revokedIds;
            Instant now = Instant.now();
            HikariConfig hc = new HikariConfig();
            if ("file".equals(db)) {
                dbPath = java.nio.file.Files.createTempDirectory("roomgate-jmh").resolve("view").toString();
                hc.setJdbcUrl("jdbc:h2:file:" + dbPath);
            } else {
                hc.setJdbcUrl("jdbc:h2:mem:jmh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            }
            hc.setUsername("sa");
            hc.setPassword("");
            hc.setMaximumPoolSize(4);
            dataSource = new HikariDataSource(hc);
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2")
                    .outOfOrder(true).ignoreMigrationPatterns("*:missing").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            String props = EventJson.newMapper().writeValueAsString(RoomProperties.defaults());
            Timestamp created = Timestamp.from(now);
            List<Object[]> rows = new ArrayList<>(10_000);
            for (int i = 0; i < rooms; i++) {
                rows.add(new Object[]{roomIds[i], roomNames[i], i % 2 == 0 ? "public" : "private", props, created});
                if (rows.size() == 10_000 || i == rooms - 1) {
                    jdbc.batchUpdate("insert into view_room (room_id, name, live, privacy, properties, enable_knocking, "
                            + "present_count, created_at) values (?, ?, true, ?, ?, false, 0, ?)", rows);
                    rows.clear();
                }
            }
            for (String r : revoked) {
                rows.add(new Object[]{r, created});
            }
            jdbc.batchUpdate("insert into view_revoked_token (token_id, revoked_at) values (?, ?)", rows);
            service = new JoinCheckService(meetingTokens, new JoinView(jdbc, new io.roomgate.query.view.Quarantine(jdbc, Clock.systemUTC()), new io.roomgate.query.view.KnockReader(jdbc)), Clock.systemUTC());
            // a warm view and a sanity check: every token must be allowed
            for (int i = 0; i < tokens; i++) {
                Verdict v = service.check(io.roomgate.query.check.JoinCheck.withToken(tokenRoom[i], tokenText[i]));
                if (!"allow".equals(v.decision().wireName())) {
                    throw new IllegalStateException("set-up token " + i + " was not allowed: " + v);
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            dataSource.close();
        }
    }

    /** Each thread walks the pool from its own offset. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void setUp(World world) {
            next = (int) (Thread.currentThread().getId() * 7919 % world.tokens);
        }

        int take(World world) {
            int i = next;
            next = i + 1 == world.tokens ? 0 : i + 1;
            return i;
        }
    }

    @Benchmark
    public JWTClaimsSet floor_nimbusVerify(World w, Cursor c) throws ParseException, JOSEException {
        SignedJWT jwt = SignedJWT.parse(w.tokenText[c.take(w)]);
        if (!jwt.verify(w.verifier)) {
            throw new IllegalStateException("bad signature");
        }
        return jwt.getJWTClaimsSet();
    }

    @Benchmark
    public PresentedToken part_meetingTokensVerify(World w, Cursor c) {
        return w.meetingTokens.verify(w.tokenText[c.take(w)]);
    }

    @Benchmark
    public Verdict subject_mapView(World w, Cursor c) {
        int i = c.take(w);
        PresentedToken presented = w.meetingTokens.verify(w.tokenText[i]);
        JoinAttempt attempt = new JoinAttempt(presented, null, null, null, null);
        return JoinPolicy.decide(attempt, w.mapState.stateOf(w.tokenRoom[i]), Instant.now());
    }

    @Benchmark
    public Verdict subject_h2View(World w, H2World h2, Cursor c) {
        int i = c.take(w);
        return h2.service.check(io.roomgate.query.check.JoinCheck.withToken(w.tokenRoom[i], w.tokenText[i]));
    }

    /** The view in HashMaps: what the check costs when a lookup is (nearly) free. */
    static final class MapState {
        final Map<String, RoomRules> rooms = new HashMap<>();
        final Set<String> revoked;

        MapState(String[] names, String[] ids, Set<String> revoked) {
            for (int i = 0; i < names.length; i++) {
                rooms.put(names[i], new RoomRules(ids[i], names[i], i % 2 == 0 ? Privacy.PUBLIC : Privacy.PRIVATE,
                        null, null, null, false));
            }
            this.revoked = revoked;
        }

        RoomState stateOf(String name) {
            Optional<RoomRules> room = Optional.ofNullable(rooms.get(name));
            return new RoomState() {
                public Optional<RoomRules> room() { return room; }
                public boolean isPresent(String participantId) { return false; }
                public int presentCount() { return 0; }
                public boolean isBanned(String userId) { return false; }
                public boolean isRevoked(String tokenId) { return revoked.contains(tokenId); }
                public boolean isActiveMember(String memberId) { return false; }
                public Optional<Knock> knock(String knockId) { return Optional.empty(); }
            };
        }
    }
}
