package io.roomgate.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events are readable forever (access rules §4): the JSON of every event, revision 1, is pinned in a
 * golden file. A change of an event's shape breaks these tests on purpose; it must come with a
 * new revision, an upcaster and a test that reads the old golden file.
 */
class EventGoldenFileTest {

    private static final ObjectMapper MAPPER = EventJson.newMapper();

    static Stream<Arguments> samples() {
        return SampleEvents.all().stream()
                .map(event -> Arguments.of(event.getClass().getSimpleName(), event));
    }

    private static String goldenPath(Class<?> eventType) {
        // the golden file of the current revision; older revisions' files stay, read by the upcaster tests
        return "/golden/" + eventType.getSimpleName() + ".v" + eventType.getAnnotation(Revision.class).value() + ".json";
    }

    private static String golden(Class<?> eventType) {
        try (InputStream in = EventGoldenFileTest.class.getResourceAsStream(goldenPath(eventType))) {
            assertThat(in).as("golden file %s", goldenPath(eventType)).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0} serializes exactly as its golden file")
    @MethodSource("samples")
    void an_event_serializes_exactly_as_its_golden_file(String name, RoomgateEvent sample) throws IOException {
        JsonNode written = MAPPER.readTree(MAPPER.writeValueAsString(sample));
        JsonNode expected = MAPPER.readTree(golden(sample.getClass()));

        assertThat(written).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} golden file reads back to an equal event")
    @MethodSource("samples")
    void a_golden_file_reads_back_to_an_equal_event(String name, RoomgateEvent sample) throws IOException {
        RoomgateEvent read = MAPPER.readValue(golden(sample.getClass()), sample.getClass());

        assertThat(read).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0} survives a round trip")
    @MethodSource("samples")
    void an_event_survives_a_round_trip_through_its_json(String name, RoomgateEvent sample) throws IOException {
        RoomgateEvent read = MAPPER.readValue(MAPPER.writeValueAsString(sample), sample.getClass());

        assertThat(read).isEqualTo(sample);
    }

    @Test
    void every_event_type_has_a_golden_file_of_its_current_revision() {
        Class<?>[] eventTypes = RoomgateEvent.class.getPermittedSubclasses();

        assertThat(eventTypes).hasSize(18);
        for (Class<?> type : eventTypes) {
            assertThat(EventGoldenFileTest.class.getResource(goldenPath(type)))
                    .as("golden file of %s", type.getSimpleName()).isNotNull();
            Revision revision = type.getAnnotation(Revision.class);
            assertThat(revision).as("@Revision on %s", type.getSimpleName()).isNotNull();
            assertThat(revision.value()).as("@Revision of %s", type.getSimpleName()).matches("[1-9][0-9]*");
            assertThat(type.isRecord()).as("%s is an immutable record", type.getSimpleName()).isTrue();
        }
    }

    @Test
    void the_samples_cover_every_event_type_exactly_once() {
        assertThat(SampleEvents.all().stream().map(Object::getClass))
                .containsExactlyInAnyOrder(RoomgateEvent.class.getPermittedSubclasses());
    }

    @Test
    void the_samples_fill_every_field() {
        for (RoomgateEvent event : SampleEvents.all()) {
            Arrays.stream(event.getClass().getRecordComponents()).forEach(component -> {
                try {
                    assertThat(component.getAccessor().invoke(event))
                            .as("%s.%s", event.getClass().getSimpleName(), component.getName()).isNotNull();
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    @Test
    void golden_files_never_hold_a_token_string() {
        for (Class<?> type : RoomgateEvent.class.getPermittedSubclasses()) {
            // a JWT starts with a base64url-encoded '{"' header
            assertThat(golden(type)).as(type.getSimpleName()).doesNotContain("eyJ");
        }
    }
}
