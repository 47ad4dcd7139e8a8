package io.roomgate.app.join;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptorSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime half of "join checks never load an aggregate and never write to the event store":
 * 100 join checks of every kind (tokens good and bad, knocks, members, reconnects, time travel)
 * send no command (the only way to an aggregate) and leave the event store, the snapshots and the
 * view exactly as they were. The compile-time half is {@link JoinChecksReadOnlyArchitectureTest}.
 */
@RoomgateTest
class JoinChecksAppendNothingIT extends WithEmbeddedApp {

    @Autowired
    CommandBus commandBus;

    @Test
    @SuppressWarnings("unchecked")
    void a_hundred_join_checks_send_no_command_and_append_nothing() {
        String room = Api.uniqueName("readonly");
        String open = Api.uniqueName("readonly-open");
        steps.createRoom(room, "private", "{\"enable_knocking\":true,\"max_participants\":10}");
        steps.createRoom(open, "public", null);
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true,\"user_id\":\"u-owner\"}");
        String ownerToken = owner.text("token");
        steps.join(room, body("participant_id", "p-owner", "token", ownerToken));
        Answer knock = steps.knock(room, "Kim");
        String memberId = Api.uniqueName("m");
        Answer member = steps.addMember(memberId);
        String revoked = steps.issue("{\"room_name\":\"" + room + "\"}").text("token");
        Answer revocation = steps.revoke(revoked);
        // let every write above reach the view before counting
        steps.check(body("room_name", room), member.consistencyToken());
        steps.check(body("room_name", room), revocation.consistencyToken());
        steps.check(body("room_name", room), knock.consistencyToken());

        List<String> checks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            checks.add(body("room_name", room));
            checks.add(body("room_name", room, "token", ownerToken));
            checks.add(body("room_name", room, "token", revoked));
            checks.add(body("room_name", room, "token", "garbage-" + i));
            checks.add(body("room_name", room, "knock_id", knock.text("id")));
            checks.add(body("room_name", room, "member_id", memberId));
            checks.add(body("room_name", room, "participant_id", "p-owner"));
            checks.add(body("room_name", open, "user_id", "u" + i));
            checks.add(body("room_name", Api.uniqueName("none")));
            checks.add(body("room_name", room, "token", ownerToken, "at", Instant.now().toString()));
        }
        assertThat(checks).hasSize(100);

        AtomicInteger commands = new AtomicInteger();
        Registration counting = ((MessageDispatchInterceptorSupport<CommandMessage<?>>) commandBus)
                .registerDispatchInterceptor(messages -> (i, m) -> {
                    commands.incrementAndGet();
                    return m;
                });
        Map<String, Long> before = counts();
        try {
            for (String check : checks) {
                Answer a = steps.check(check, null);
                assertThat(a.text("decision")).isIn("allow", "deny", "knock", "wait");
            }
        } finally {
            counting.cancel();
        }
        assertThat(commands.get()).as("commands sent while checking").isZero();
        assertThat(counts()).as("rows of the event store, snapshots, tokens and view").isEqualTo(before);
        assertThat(api.eventCount()).isEqualTo(before.get("domain_event_entry"));
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String table : List.of("domain_event_entry", "snapshot_event_entry", "view_room", "view_participant",
                "view_knock", "view_member", "view_revoked_token", "view_ban", "view_position")) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Long.class));
        }
        counts.put("max_global_index", jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class));
        return counts;
    }
}
