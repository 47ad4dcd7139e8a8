-- Build beside, then switch (POST /v1/admin/projections/join-eligibility/replay): a rebuild of
-- the join-eligibility view is written into these rebuild_view_* twins of the view_* tables,
-- column for column, while the live view keeps answering; the switch copies them over in one
-- transaction. A change of a view_* table needs the same change here (the rebuild refuses to
-- start when the columns differ).
create table rebuild_view_room (
    room_id          varchar(36)  not null primary key,
    name             varchar(128) not null,
    live             boolean      not null,
    privacy          varchar(16)  not null,
    properties       varchar(65536) not null,
    nbf              bigint,
    exp              bigint,
    max_participants integer,
    enable_knocking  boolean      not null,
    present_count    integer      not null,
    created_at       timestamp(6) with time zone not null,
    deleted_at       timestamp(6) with time zone,
    deletion_cause   varchar(16)
);
create index rebuild_view_room_name on rebuild_view_room (name, live);
create index rebuild_view_room_created on rebuild_view_room (live, created_at, room_id);

create table rebuild_view_participant (
    room_id        varchar(36)  not null,
    participant_id varchar(128) not null,
    user_id        varchar(128),
    user_name      varchar(200),
    admission      varchar(16)  not null,
    is_owner       boolean      not null,
    may_admit      boolean      not null,
    joined_at      timestamp(6) with time zone not null,
    will_eject_at  timestamp(6) with time zone,
    primary key (room_id, participant_id)
);
create index rebuild_view_participant_user on rebuild_view_participant (room_id, user_id);

create table rebuild_view_knock (
    knock_id     varchar(64)  not null primary key,
    room_id      varchar(36)  not null,
    user_name    varchar(200) not null,
    state        varchar(16)  not null,
    requested_at timestamp(6) with time zone not null,
    expires_at   timestamp(6) with time zone not null,
    valid_until  timestamp(6) with time zone,
    decided_by   varchar(128),
    decided_at   timestamp(6) with time zone
);
create index rebuild_view_knock_room on rebuild_view_knock (room_id, state);

create table rebuild_view_ban (
    room_id varchar(36)  not null,
    user_id varchar(128) not null,
    primary key (room_id, user_id)
);

create table rebuild_view_revoked_token (
    token_id   varchar(128) not null primary key,
    revoked_at timestamp(6) with time zone not null
);

create table rebuild_view_member (
    member_id varchar(128) not null primary key
);

-- read-your-writes: the last event of each aggregate this view has applied
create table rebuild_view_position (
    aggregate_id varchar(255) not null primary key,
    seq          bigint       not null
);

-- The state of the last rebuild of each view, so every node can report it and only one runs.
create table projection_rebuild (
    name           varchar(64)  not null primary key,
    state          varchar(16)  not null,
    node           varchar(255),
    started_at     timestamp(6) with time zone,
    heartbeat_at   timestamp(6) with time zone,
    finished_at    timestamp(6) with time zone,
    start_position bigint,
    position       bigint,
    events_applied bigint       not null,
    error          varchar(1000)
);

-- The audit log filters the store by event type and walks it in global order.
create index audit_event_type on domain_event_entry (payload_type, global_index);
