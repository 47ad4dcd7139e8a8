package io.roomgate.events;

/** Marker of the events in roomgate's contract; every one is an immutable record. */
public sealed interface RoomgateEvent permits
        RoomCreated, PrivacyChanged, RoomPropertiesChanged, RoomDeleted,
        TokenIssued, TokenRevoked,
        KnockRequested, KnockApproved, KnockDenied, KnockExpired, KnockWithdrawn,
        ParticipantJoined, ParticipantLeft, ParticipantEjected, UserBanned, BanLifted,
        MemberAdded, MemberRemoved {
}
