package io.roomgate.query.web;

import io.roomgate.query.check.JoinCheck;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.roomgate.access.Verdict;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.query.check.JoinCheckService;
import io.roomgate.query.audit.TimeTravel;
import io.roomgate.query.view.ReadConsistency;
import io.roomgate.query.view.ViewPositions;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** {@code POST /v1/join-checks}: the join decision of access rules §2, for the join server. */
@RestController
@RequiresScope({Scope.JOIN, Scope.AUDIT})
public class JoinCheckController {

    private final JoinCheckService service;
    private final TimeTravel timeTravel;
    private final ViewPositions positions;
    /** Join checks by decision, reason and consistency level, with their latency (issue 19); null without a registry. */
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public JoinCheckController(JoinCheckService service, TimeTravel timeTravel, ViewPositions positions,
                               org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.service = service;
        this.timeTravel = timeTravel;
        this.positions = positions;
        this.meters = meters.getIfAvailable();
    }

    /** Counts a decision: every tag from a fixed set (never a room, user or token). */
    private JoinCheckAnswer counted(JoinCheckAnswer answer, ReadConsistency consistency, boolean past, long started) {
        if (meters != null) {
            meters.timer("roomgate.join.checks", "decision", answer.decision(), "reason", answer.reason(),
                            "consistency", consistency.level().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                            "at", past ? "past" : "now")
                    .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return answer;
    }

    record JoinCheckRequest(String roomName, String token, String knockId, String memberId, String userId,
                            String participantId, String at) {
        @Override
        public String toString() {
            return "JoinCheckRequest[" + roomName + "]"; // never the token
        }

        JoinCheck joinCheck() {
            return new JoinCheck(roomName, token, userId, memberId, participantId, knockId);
        }
    }

    record JoinCheckAnswer(String decision, String reason, @JsonProperty("is_owner") boolean owner, String roomName,
                           Instant evaluatedAt,
                           @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<Long> basedOnPositions) {
    }

    @PostMapping("/v1/join-checks")
    public JoinCheckAnswer check(@RequestBody JoinCheckRequest request,
                                 ReadConsistency consistency,
                                 jakarta.servlet.http.HttpServletRequest http) {
        long started = System.nanoTime();
        // auditors may ask what the answer was at an instant (SPEC: time travel is audit evidence);
        // a check of now is the join servers' (issue 16, row 11)
        Object scopes = http.getAttribute(io.roomgate.edge.ApiKeyInterceptor.SCOPES);
        if (request.at() == null && scopes instanceof java.util.Set<?> held && !held.contains(Scope.JOIN)) {
            throw ApiException.forbidden("this API key lacks the scope for this endpoint (an audit key may ask with \"at\")");
        }
        if (request.roomName() == null || request.roomName().isEmpty()) {
            throw ApiException.invalidRequest("room_name is required");
        }
        // text no id or name can hold is refused, not looked up (PostgreSQL refuses NUL in a query too)
        io.roomgate.edge.Text.requireSafe("room_name", request.roomName(), false);
        io.roomgate.edge.Text.requireSafe("user_id", request.userId(), false);
        io.roomgate.edge.Text.requireSafe("member_id", request.memberId(), false);
        io.roomgate.edge.Text.requireSafe("participant_id", request.participantId(), false);
        io.roomgate.edge.Text.requireSafe("knock_id", request.knockId(), false);
        Instant at = request.at() == null ? null : parseInstant(request.at());
        // time travel finds the room's generation in the view too: it waits for the write the same way
        positions.await(consistency);
        if (at != null) {
            TimeTravel.Answer past = timeTravel.check(request.joinCheck(), at);
            return counted(answer(past.verdict(), request.roomName(), at, past.positions()), consistency, true, started);
        }
        Verdict verdict = service.check(request.joinCheck());
        return counted(answer(verdict, request.roomName(), service.now(), null), consistency, false, started);
    }

    private static JoinCheckAnswer answer(Verdict v, String roomName, Instant at, List<Long> positions) {
        return new JoinCheckAnswer(v.decision().wireName(), v.reason().wireName(), v.owner(), roomName, at, positions);
    }

    private static Instant parseInstant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest("at must be an ISO-8601 instant such as 2026-11-27T14:03:00Z");
        }
    }
}
