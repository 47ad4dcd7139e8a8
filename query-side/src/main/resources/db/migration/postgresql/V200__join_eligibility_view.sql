-- The join-eligibility view: what the join decision needs, per room, one lookup away.
create table view_room (
    room_id          varchar(36)  not null primary key,
    name             varchar(128) not null,
    live             boolean      not null,
    privacy          varchar(16)  not null,
    properties       text not null,
    nbf              bigint,
    exp              bigint,
    max_participants integer,
    enable_knocking  boolean      not null,
    present_count    integer      not null,
    created_at       timestamp(6) with time zone not null,
    deleted_at       timestamp(6) with time zone,
    deletion_cause   varchar(16)
);
create index view_room_name on view_room (name, live);
create index view_room_created on view_room (live, created_at, room_id);

create table view_participant (
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
create index view_participant_user on view_participant (room_id, user_id);

create table view_knock (
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
create index view_knock_room on view_knock (room_id, state);

create table view_ban (
    room_id varchar(36)  not null,
    user_id varchar(128) not null,
    primary key (room_id, user_id)
);

create table view_revoked_token (
    token_id   varchar(128) not null primary key,
    revoked_at timestamp(6) with time zone not null
);

create table view_member (
    member_id varchar(128) not null primary key
);

-- read-your-writes: the last event of each aggregate this view has applied
create table view_position (
    aggregate_id varchar(255) not null primary key,
    seq          bigint       not null
);
