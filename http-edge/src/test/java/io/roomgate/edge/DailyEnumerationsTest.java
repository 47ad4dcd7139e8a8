package io.roomgate.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.events.RoomProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Daily's OpenAPI document enumerates {@code lang} and {@code enable_recording}: other values are 400s, on rooms and tokens. */
class DailyEnumerationsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void every_listed_lang_and_recording_value_is_taken_on_a_room_and_a_token() throws Exception {
        for (String lang : DailyJson.LANGS) {
            RoomProperties p = DailyRooms.merge(RoomProperties.defaults(), json("{\"lang\":\"" + lang + "\"}"));
            assertThat(p.other()).containsEntry("lang", lang);
            assertThat(DailyTokens.claims(json("{\"lang\":\"" + lang + "\"}")).other()).containsEntry("lang", lang);
        }
        for (String rec : DailyJson.RECORDING) {
            DailyRooms.merge(RoomProperties.defaults(), json("{\"enable_recording\":\"" + rec + "\"}"));
            DailyTokens.claims(json("{\"enable_recording\":\"" + rec + "\"}"));
        }
        RoomProperties both = DailyRooms.merge(RoomProperties.defaults(), json("{\"enable_recording\":[\"cloud\",\"local\"]}"));
        assertThat(both.other().get("enable_recording")).asList().containsExactly("cloud", "local");
        // null clears a room property
        RoomProperties cleared = DailyRooms.merge(both, json("{\"enable_recording\":null,\"lang\":null}"));
        assertThat(cleared.other()).doesNotContainKeys("enable_recording", "lang");
    }

    @Test
    void a_value_outside_the_enumeration_is_an_invalid_request_error() {
        for (String bad : new String[]{"{\"lang\":\"xx\"}", "{\"lang\":\"EN\"}", "{\"lang\":1}", "{\"lang\":[\"en\"]}",
                "{\"enable_recording\":\"cloudy\"}", "{\"enable_recording\":true}", "{\"enable_recording\":[\"cloud\",\"cloud\"]}",
                "{\"enable_recording\":[\"cloud\",3]}", "{\"enable_recording\":{}}"}) {
            assertThatThrownBy(() -> DailyRooms.merge(RoomProperties.defaults(), json(bad))).as(bad)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.type()).isEqualTo("invalid-request-error");
                    });
            assertThatThrownBy(() -> DailyTokens.claims(json(bad))).as(bad).isInstanceOf(ApiException.class);
        }
    }
}
