package io.roomgate.access;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdsTest {

    @Test
    void a_room_name_is_1_to_128_of_daily_s_characters() {
        assertThat(new RoomName("Team-standup_2").value()).isEqualTo("Team-standup_2");
        assertThat(RoomName.isValid("a".repeat(128))).isTrue();
        assertThat(RoomName.isValid("a".repeat(129))).isFalse();
        assertThat(RoomName.isValid("")).isFalse();
        assertThat(RoomName.isValid(null)).isFalse();
        assertThat(RoomName.isValid("room name")).isFalse();
        assertThat(RoomName.isValid("räum")).isFalse();
        assertThat(RoomName.isValid("../admin")).isFalse();
    }

    @Test
    void an_invalid_room_name_is_refused_as_invalid_naming_the_field() {
        assertThatThrownBy(() -> RoomName.of("room_name", "a b"))
                .isInstanceOfSatisfying(Rejected.class, r -> assertThat(r.kind()).isEqualTo(Rejected.Kind.INVALID))
                .hasMessageStartingWith("room_name must be");
        assertThatThrownBy(() -> new RoomName(null)).isInstanceOf(Rejected.class);
    }

    @Test
    void a_user_id_is_1_to_128_characters_without_control_characters() {
        assertThat(UserId.isValid("ana@example.test")).isTrue();
        assertThat(UserId.isValid("Zoë ☕")).isTrue();
        assertThat(UserId.isValid("x".repeat(128))).isTrue();
        assertThat(UserId.isValid("x".repeat(129))).isFalse();
        assertThat(UserId.isValid("")).isFalse();
        assertThat(UserId.isValid("a\u0000b")).isFalse();
        assertThat(UserId.isValid("a\nb")).isFalse();
        assertThatThrownBy(() -> UserId.of("user_ids", "\u001b[31m")).isInstanceOf(Rejected.class)
                .hasMessageStartingWith("user_ids must be");
    }

    @Test
    void a_token_id_is_1_to_128_printable_ascii_characters_without_space() {
        assertThat(TokenId.isValid("3f2c-ab")).isTrue();
        assertThat(TokenId.isValid("~".repeat(128))).isTrue();
        assertThat(TokenId.isValid("~".repeat(129))).isFalse();
        assertThat(TokenId.isValid("a b")).isFalse();
        assertThat(TokenId.isValid("é")).isFalse();
        assertThatThrownBy(() -> new TokenId("")).isInstanceOf(Rejected.class).hasMessageStartingWith("jti must be");
    }
}
