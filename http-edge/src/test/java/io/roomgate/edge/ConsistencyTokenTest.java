package io.roomgate.edge;

import io.roomgate.events.StreamIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A consistency token names any stream a write can go to, and nothing else decodes as one. */
class ConsistencyTokenTest {

    @ParameterizedTest
    @ValueSource(strings = {"grace", "a|b", "|", "ünïcødé", "😀"})
    void a_token_for_any_member_or_jti_decodes_to_the_same_stream_and_sequence(String id) {
        for (String stream : new String[]{StreamIds.member(id), StreamIds.meetingToken(id)}) {
            ConsistencyToken token = new ConsistencyToken(stream, 7);

            assertThat(ConsistencyToken.decode(token.encode())).contains(token);
        }
    }

    @Test
    void a_token_for_a_room_decodes_to_the_same_room_and_sequence() {
        ConsistencyToken token = new ConsistencyToken(UUID.randomUUID().toString(), 0);

        assertThat(ConsistencyToken.decode(token.encode())).contains(token);
    }

    @Test
    void a_token_for_the_longest_member_id_decodes() {
        ConsistencyToken token = new ConsistencyToken(StreamIds.member("😀".repeat(128)), Long.MAX_VALUE);

        assertThat(ConsistencyToken.decode(token.encode())).contains(token);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "c1", "c1|", "c1||3", "c1|a", "c1|a|", "c1|a|x", "c2|a|3", "|a|3"})
    void anything_else_is_not_a_consistency_token(String raw) {
        String value = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));

        assertThat(ConsistencyToken.decode(value)).isEmpty();
    }

    @Test
    void text_that_is_not_base64_is_not_a_consistency_token() {
        assertThat(ConsistencyToken.decode("not base64!")).isEmpty();
        assertThat(ConsistencyToken.decode(null)).isEmpty();
        assertThat(ConsistencyToken.decode("A".repeat(2000))).isEmpty();
    }
}
