-- The command side's lookups, written in the same transaction as the events.
create table live_room (
    name        varchar(128) not null primary key,
    room_id     varchar(36)  not null unique,
    privacy     varchar(16)  not null,
    properties  text not null,
    created_at  timestamp(6) with time zone not null
);
create table revoked_token (
    token_id varchar(128) not null primary key
);
create table active_member (
    member_id varchar(128) not null primary key
);
create table knock_room (
    knock_id varchar(64) not null primary key,
    room_id  varchar(36) not null
);
