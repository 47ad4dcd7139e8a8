package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** Someone entered the room. {@code admission} says which rule let them in; {@code willEjectAt} is fixed now and not moved by later room changes. */
@Revision("1")
public record ParticipantJoined(String roomId, String name, String participantId, String userName, String userId, Admission admission, @com.fasterxml.jackson.annotation.JsonProperty("is_owner") boolean owner, boolean mayAdmitKnockers, java.time.Instant willEjectAt) implements RoomgateEvent {
}
