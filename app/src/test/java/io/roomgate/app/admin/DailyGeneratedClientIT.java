package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.daily.ApiClient;
import io.roomgate.daily.ApiException;
import io.roomgate.daily.ApiResponse;
import io.roomgate.daily.api.MeetingTokensApi;
import io.roomgate.daily.api.RoomsApi;
import io.roomgate.daily.model.CreateMeetingToken200Response;
import io.roomgate.daily.model.CreateMeetingTokenRequest;
import io.roomgate.daily.model.CreateRoom200Response;
import io.roomgate.daily.model.CreateRoomRequest;
import io.roomgate.daily.model.DeleteRoom200Response;
import io.roomgate.daily.model.Eject200Response;
import io.roomgate.daily.model.EjectRequest;
import io.roomgate.daily.model.ListRooms200Response;
import io.roomgate.daily.model.ListRooms200ResponseDataInner;
import io.roomgate.daily.model.ListRooms400Response;
import io.roomgate.daily.model.Permissions;
import io.roomgate.daily.model.Properties;
import io.roomgate.daily.model.RoomProperties;
import io.roomgate.daily.model.RoomsRoomNameGetRes;
import io.roomgate.daily.model.RoomsRoomNamePresenceGetRes;
import io.roomgate.daily.model.SetRoomConfigRequest;
import io.roomgate.daily.model.ValidateMeetingToken200Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static io.roomgate.app.admin.AdminApiSupport.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Drives roomgate through a Java client generated (openapi-generator, {@code library=native})
 * from Daily's own OpenAPI document: every response must parse into Daily's models. The
 * generated request models send the document's defaults (e.g. {@code max_participants: 200},
 * {@code is_owner: false}, {@code lang: "en"}), so roomgate must accept every property the
 * document defines.
 */
@RoomgateTest
class DailyGeneratedClientIT extends WithEmbeddedApp {

    RoomsApi rooms;
    MeetingTokensApi tokens;
    ObjectMapper dailyJson;

    @BeforeEach
    void client() {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port + "/v1");
        client.setRequestInterceptor(b -> b.header("Authorization", "Bearer " + Api.ADMIN));
        rooms = new RoomsApi(client);
        tokens = new MeetingTokensApi(client);
        dailyJson = client.getObjectMapper();
    }

    @Test
    void the_generated_daily_client_drives_rooms_tokens_presence_and_eject() throws Exception {
        String name = Api.uniqueName("daily");
        int exp = (int) (Instant.now().getEpochSecond() + 7200);

        // create: the generated RoomProperties carries Daily's defaults for every property it knows
        RoomProperties properties = new RoomProperties().exp(exp).enableKnocking(true).startVideoOff(true);
        ApiResponse<CreateRoom200Response> createdResponse = rooms.createRoomWithHttpInfo(
                new CreateRoomRequest().name(name).privacy("private").properties(properties));
        assertThat(createdResponse.getHeaders().get("x-consistency-token")).isNotEmpty();
        CreateRoom200Response created = createdResponse.getData();
        assertThat(created.getName()).isEqualTo(name);
        assertThat(created.getPrivacy()).isEqualTo("private");
        assertThat(created.getApiCreated()).isTrue();
        assertThat(created.getUrl()).endsWith("/" + name);
        assertThat(Instant.parse(created.getCreatedAt())).isBeforeOrEqualTo(Instant.now());
        // Daily's document types the create answer's config as a whole room object (a quirk of
        // the document): it parses, and the properties are checked through GET below
        assertThat(created.getConfig()).isNotNull();
        String consistency = createdResponse.getHeaders().get("x-consistency-token").get(0);
        Map<String, String> fresh = Map.of("X-Consistency-Token", consistency);

        // get
        RoomsRoomNameGetRes got = rooms.getRoomConfig(name, fresh);
        assertThat(got.getId()).isEqualTo(created.getId());
        assertThat(got.getName()).isEqualTo(name);
        assertThat(got.getPrivacy()).isEqualTo("private");
        assertThat(got.getConfig().getExp()).isEqualTo(exp);
        assertThat(got.getConfig().getEnableKnocking()).isTrue();
        assertThat(got.getConfig().getStartVideoOff()).isTrue();
        assertThat(got.getConfig().getMaxParticipants()).isEqualTo(200);

        // list
        ListRooms200Response list = rooms.listRooms(10, null, null, fresh);
        assertThat(list.getTotalCount()).isGreaterThanOrEqualTo(1);
        assertThat(list.getData()).extracting(ListRooms200ResponseDataInner::getId).contains(created.getId());
        ListRooms200ResponseDataInner first = list.getData().get(0);
        assertThat(first.getId()).isEqualTo(created.getId());
        assertThat(first.getConfig()).isNotNull();
        ListRooms200Response oldest = rooms.listRooms(1, "OLDEST", null);
        assertThat(oldest.getData()).hasSize(1);
        ListRooms200Response after = rooms.listRooms(1, null, created.getId());
        assertThat(after.getData()).noneMatch(r -> r.getId().equals(created.getId()));

        // update: Daily documents no response schema for it, so the generated method is void;
        // the same request sent by hand must answer a room object that Daily's model reads
        rooms.setRoomConfig(name, new SetRoomConfigRequest().privacy("public"));
        SetRoomConfigRequest update = new SetRoomConfigRequest().properties(new RoomProperties().startAudioOff(true).exp(exp));
        Api.Answer updated = written(api.post("/v1/rooms/" + name, Api.ADMIN, dailyJson.writeValueAsString(update)));
        RoomsRoomNameGetRes afterUpdate = dailyJson.readValue(updated.raw(), RoomsRoomNameGetRes.class);
        assertThat(afterUpdate.getPrivacy()).isEqualTo("public");
        assertThat(afterUpdate.getConfig().getStartAudioOff()).isTrue();
        RoomsRoomNameGetRes reread = rooms.getRoomConfig(name, Map.of("X-Consistency-Token", updated.consistencyToken()));
        assertThat(reread.getPrivacy()).isEqualTo("public");
        assertThat(reread.getConfig().getStartAudioOff()).isTrue();

        // a meeting token: the generated Properties send is_owner:false, lang:"en", knocking:false, ...
        Properties tokenProperties = new Properties().roomName(name).isOwner(true).userName("Ada").userId("ada-1")
                .exp(exp).permissions(new Permissions().canAdmin(List.of("participants")).hasPresence(true));
        ApiResponse<CreateMeetingToken200Response> issued = tokens.createMeetingTokenWithHttpInfo(
                new CreateMeetingTokenRequest().properties(tokenProperties));
        assertThat(issued.getHeaders().get("x-consistency-token")).isNotEmpty();
        String token = issued.getData().getToken();
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

        // and one with nothing but the generated defaults besides the room
        String plain = tokens.createMeetingToken(new CreateMeetingTokenRequest()
                .properties(new Properties().roomName(name))).getToken();

        // validate
        ValidateMeetingToken200Response valid = tokens.validateMeetingToken(token, null);
        assertThat(valid.getRoomName()).isEqualTo(name);
        assertThat(valid.getIsOwner()).isTrue();
        assertThat(valid.getUserName()).isEqualTo("Ada");
        assertThat(valid.getLang()).isEqualTo("en");
        ValidateMeetingToken200Response validPlain = tokens.validateMeetingToken(plain, false);
        assertThat(validPlain.getIsOwner()).isFalse();

        // presence: two people join through the join server's API
        written(api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-ada\",\"token\":" + quoted(token) + "}"));
        Api.Answer joined = written(api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-bob\",\"user_id\":\"bob-1\",\"user_name\":\"Bob\"}"));
        RoomsRoomNamePresenceGetRes presence = rooms.getRoomPresence(name, null, null, null,
                Map.of("X-Consistency-Token", joined.consistencyToken()));
        assertThat(presence.getTotalCount()).isEqualTo(2);
        assertThat(presence.getData()).extracting(p -> p.getId()).containsExactlyInAnyOrder("p-ada", "p-bob");
        assertThat(presence.getData()).allSatisfy(p -> {
            assertThat(p.getRoom()).isEqualTo(name);
            assertThat(Instant.parse(p.getJoinTime())).isBeforeOrEqualTo(Instant.now());
            assertThat(p.getDuration()).isNotNegative();
        });
        assertThat(presence.getData()).filteredOn(p -> p.getId().equals("p-ada"))
                .singleElement().satisfies(p -> {
                    assertThat(p.getUserId()).isEqualTo("ada-1");
                    assertThat(p.getUserName()).isEqualTo("Ada");
                });
        RoomsRoomNamePresenceGetRes onlyBob = rooms.getRoomPresence(name, 10, "bob-1", null);
        assertThat(onlyBob.getData()).extracting(p -> p.getId()).containsExactly("p-bob");

        // eject: the generated EjectRequest sends ids, user_ids (empty list) and ban:false
        ApiResponse<Eject200Response> ejected = rooms.ejectWithHttpInfo(name, new EjectRequest().ids(List.of("p-bob")));
        assertThat(ejected.getHeaders().get("x-consistency-token")).isNotEmpty();
        assertThat(ejected.getData().getEjectedIds()).containsExactly("p-bob");
        Eject200Response banned = rooms.eject(name, new EjectRequest().userIds(List.of("ada-1")).ban(true));
        assertThat(banned.getEjectedIds()).containsExactly("p-ada");
        RoomsRoomNamePresenceGetRes empty = rooms.getRoomPresence(name, null, null, null,
                Map.of("X-Consistency-Token", ejected.getHeaders().get("x-consistency-token").get(0)));
        assertThat(empty.getData()).extracting(p -> p.getId()).doesNotContain("p-bob");

        // errors come back in Daily's shape, which Daily's model reads
        ApiException duplicate = catchThrowableOfType(ApiException.class,
                () -> rooms.createRoom(new CreateRoomRequest().name(name)));
        assertThat(duplicate.getCode()).isEqualTo(400);
        ListRooms400Response error = dailyJson.readValue(duplicate.getResponseBody(), ListRooms400Response.class);
        assertThat(error.getError()).isEqualTo("invalid-request-error");
        assertThat(error.getInfo()).isEqualTo("a room named " + name + " already exists");

        // delete
        ApiResponse<DeleteRoom200Response> deleted = rooms.deleteRoomWithHttpInfo(name);
        assertThat(deleted.getHeaders().get("x-consistency-token")).isNotEmpty();
        assertThat(deleted.getData().getDeleted()).isTrue();
        assertThat(deleted.getData().getName()).isEqualTo(name);
        ApiException gone = catchThrowableOfType(ApiException.class, () -> rooms.getRoomConfig(name,
                Map.of("X-Consistency-Token", deleted.getHeaders().get("x-consistency-token").get(0))));
        assertThat(gone.getCode()).isEqualTo(404);
        assertThat(dailyJson.readValue(gone.getResponseBody(), ListRooms400Response.class).getError()).isEqualTo("not-found");
    }

    @Test
    void a_room_created_with_nothing_but_the_generated_defaults_round_trips() throws Exception {
        ApiResponse<CreateRoom200Response> response = rooms.createRoomWithHttpInfo(
                new CreateRoomRequest().properties(new RoomProperties()));
        CreateRoom200Response created = response.getData();
        assertThat(created.getName()).matches("[A-Za-z0-9]{20,}");
        assertThat(created.getPrivacy()).isEqualTo("public");
        RoomsRoomNameGetRes got = rooms.getRoomConfig(created.getName(),
                Map.of("X-Consistency-Token", response.getHeaders().get("x-consistency-token").get(0)));
        assertThat(got.getConfig().getMaxParticipants()).isEqualTo(200);
        assertThat(got.getConfig().getEnableScreenshare()).isTrue();
        // an empty request model, as the generated client sends it
        CreateRoom200Response bare = rooms.createRoom(new CreateRoomRequest());
        assertThat(bare.getName()).matches("[A-Za-z0-9]{20,}");
        assertThat(rooms.createRoom(null).getName()).matches("[A-Za-z0-9]{20,}");
    }
}
