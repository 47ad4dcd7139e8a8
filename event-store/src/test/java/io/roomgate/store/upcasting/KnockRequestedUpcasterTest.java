package io.roomgate.store.upcasting;

import io.roomgate.events.EventJson;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.SampleEvents;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Events written at revision 1 stay readable: the kept golden file goes through the chain the event store uses. */
class KnockRequestedUpcasterTest {

    private final Serializer serializer = JacksonSerializer.builder().objectMapper(EventJson.newMapper()).defaultTyping().build();
    private final EventUpcasterChain chain = new EventUpcasterChain(new KnockRequestedUpcaster());

    @Test
    void a_revision_1_knock_reads_as_revision_2_without_a_user_id() throws IOException {
        KnockRequested read = readStored(golden("KnockRequested.v1.json"), "1");

        KnockRequested sample = SampleEvents.knockRequested();
        assertThat(read).isEqualTo(new KnockRequested(sample.roomId(), sample.name(), sample.knockId(), sample.userName(),
                sample.expiresAt(), null));
    }

    @Test
    void a_revision_2_knock_passes_the_chain_untouched() throws IOException {
        assertThat(readStored(golden("KnockRequested.v2.json"), "2")).isEqualTo(SampleEvents.knockRequested());
    }

    private KnockRequested readStored(byte[] payload, String revision) {
        GenericDomainEventEntry<byte[]> row = new GenericDomainEventEntry<>("Room", SampleEvents.ROOM_ID, 3, "event-1",
                "2026-11-27T14:03:00Z", KnockRequested.class.getName(), revision, payload, "{}".getBytes());
        Stream<IntermediateEventRepresentation> upcast = chain.upcast(Stream.of(new InitialEventRepresentation(row, serializer)));
        List<IntermediateEventRepresentation> events = upcast.toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).getType().getRevision()).isEqualTo("2");
        return serializer.deserialize(events.get(0).getData());
    }

    private static byte[] golden(String file) throws IOException {
        try (InputStream in = KnockRequestedUpcasterTest.class.getResourceAsStream("/golden/" + file)) {
            assertThat(in).isNotNull();
            return in.readAllBytes();
        }
    }
}
