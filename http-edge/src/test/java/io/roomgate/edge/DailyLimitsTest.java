package io.roomgate.edge;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.events.RoomProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 16, rows 4 and 8: numbers that later arithmetic would overflow, properties nested deeply
 * enough to break the audit API's rendering, and properties too large to store are 400s at the
 * edge, on rooms and on tokens; what is within the limits is taken as before.
 */
class DailyLimitsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void timestamps_and_durations_outside_their_range_are_refused() throws Exception {
        for (String bad : new String[]{"{\"exp\":-1}", "{\"nbf\":253402300800}", "{\"exp\":9223372036854775807}",
                "{\"eject_after_elapsed\":9223372036854775807}", "{\"eject_after_elapsed\":-5}", "{\"eject_after_elapsed\":3153600001}"}) {
            assertThatThrownBy(() -> DailyRooms.merge(RoomProperties.defaults(), JSON.readTree(bad))).as(bad).isInstanceOf(ApiException.class);
            assertThatThrownBy(() -> DailyTokens.claims(JSON.readTree(bad))).as(bad).isInstanceOf(ApiException.class);
        }
        RoomProperties ok = DailyRooms.merge(RoomProperties.defaults(),
                JSON.readTree("{\"exp\":253402300799,\"nbf\":0,\"eject_after_elapsed\":3153600000}"));
        assertThat(ok.exp()).isEqualTo(253402300799L);
        assertThat(ok.ejectAfterElapsed()).isEqualTo(3153600000L);
    }

    @Test
    void free_form_properties_nested_deeper_than_sixteen_levels_are_refused() throws Exception {
        String sixteen = "[".repeat(15) + "1" + "]".repeat(15);
        String seventeen = "[".repeat(17) + "1" + "]".repeat(17);
        DailyRooms.merge(RoomProperties.defaults(), JSON.readTree("{\"geo\":" + sixteen + "}"));
        DailyTokens.claims(JSON.readTree("{\"permissions\":{\"canSend\":" + sixteen + "}}"));
        assertThatThrownBy(() -> DailyRooms.merge(RoomProperties.defaults(), JSON.readTree("{\"geo\":" + seventeen + "}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("nests");
        String deep = "{\"a\":".repeat(990) + "1" + "}".repeat(990);
        assertThatThrownBy(() -> DailyTokens.claims(JSON.readTree("{\"permissions\":" + deep + "}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("nests");
    }

    @Test
    void properties_too_large_to_store_are_refused() throws Exception {
        String big = "x".repeat(DailyRooms.MAX_STORED_PROPERTIES);
        assertThatThrownBy(() -> DailyRooms.merge(RoomProperties.defaults(), JSON.readTree("{\"geo\":\"" + big + "\"}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> DailyTokens.claims(JSON.readTree("{\"start_cloud_recording_opts\":\"" + "y".repeat(5_000) + "\"}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("too large");
        DailyRooms.merge(RoomProperties.defaults(), JSON.readTree("{\"geo\":\"" + "x".repeat(10_000) + "\"}"));
    }
}
