package io.roomgate.app;

import io.roomgate.command.room.CreateRoom;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomProperties;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@RoomgateTest
class EmbeddedAppIT extends WithEmbeddedApp {

    @Autowired
    CommandGateway commands;
    @Autowired
    EventStore eventStore;

    @Test
    void a_command_sent_through_the_gateway_is_stored_as_an_event_and_read_back() {
        String roomId = UUID.randomUUID().toString();
        String name = Api.uniqueName("gateway");

        commands.sendAndWait(new CreateRoom(roomId, name, Privacy.PRIVATE, RoomProperties.defaults()));

        List<? extends DomainEventMessage<?>> events = eventStore.readEvents(roomId).asStream().toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getPayload()).isEqualTo(new RoomCreated(roomId, name, Privacy.PRIVATE, RoomProperties.defaults()));
        assertThat(events.get(0).getPayloadType().getSimpleName()).isEqualTo("RoomCreated");
    }

    @Test
    void events_are_stored_as_json_with_their_revision() {
        String roomId = UUID.randomUUID().toString();
        commands.sendAndWait(new CreateRoom(roomId, Api.uniqueName("json"), Privacy.PUBLIC, RoomProperties.defaults()));

        var row = jdbc.queryForMap("select payload, payload_type, payload_revision from domain_event_entry where aggregate_identifier = ?", roomId);
        assertThat(new String((byte[]) row.get("PAYLOAD"))).contains("\"room_id\":\"" + roomId + "\"");
        assertThat(row.get("PAYLOAD_TYPE")).isEqualTo(RoomCreated.class.getName());
        assertThat(row.get("PAYLOAD_REVISION")).isEqualTo("1");
    }

    @Test
    void health_is_up_with_the_view_processor_running() {
        Api.Answer health = api.get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.text("status")).isEqualTo("UP");
        assertThat(health.body().at("/components/joinEligibilityView/status").asText()).isEqualTo("UP");
    }
}
