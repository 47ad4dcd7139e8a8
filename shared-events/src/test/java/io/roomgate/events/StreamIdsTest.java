package io.roomgate.events;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Ids chosen by callers never name another aggregate's stream. */
class StreamIdsTest {

    @Test
    void a_member_and_a_token_of_the_same_id_have_streams_of_their_own() {
        assertThat(StreamIds.member("grace")).isEqualTo("member:grace");
        assertThat(StreamIds.meetingToken("grace")).isEqualTo("token:grace");
    }

    @Test
    void an_id_shaped_like_another_kinds_stream_stays_in_its_own_kind() {
        assertThat(StreamIds.member("token:grace")).isNotEqualTo(StreamIds.meetingToken("grace"));
        assertThat(StreamIds.meetingToken("member:grace")).isNotEqualTo(StreamIds.member("grace"));
    }

    @Test
    void an_id_equal_to_a_rooms_id_is_not_the_rooms_stream() {
        String roomId = UUID.randomUUID().toString();

        assertThat(StreamIds.member(roomId)).isNotEqualTo(roomId);
        assertThat(StreamIds.meetingToken(roomId)).isNotEqualTo(roomId);
    }
}
