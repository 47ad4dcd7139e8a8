package io.roomgate.command.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/** The request bodies of the write API, in Daily's snake_case. Unknown fields are a 400. */
final class Requests {

    private Requests() {
    }

    record CreateRoom(String name, String privacy, JsonNode properties) {
    }

    record UpdateRoom(String privacy, JsonNode properties) {
    }

    record CreateToken(JsonNode properties, Boolean allowAllRooms) {
    }

    record RevokeToken(String jti, String token) {
        @Override
        public String toString() {
            return "RevokeToken[jti=" + jti + "]"; // never the token text
        }
    }

    record Eject(List<String> ids, List<String> userIds, Boolean ban) {
    }

    record Join(String participantId, String userName, String userId, String token, String knockId, String memberId) {
        @Override
        public String toString() {
            return "Join[" + participantId + "]";
        }
    }

    record Knock(String userName, String userId) {
    }

    record DecideKnock(String byParticipantId) {
    }

    /** Daily's eject answer is camelCase. */
    record Ejected(@JsonProperty("ejectedIds") List<String> ejectedIds) {
    }
}
