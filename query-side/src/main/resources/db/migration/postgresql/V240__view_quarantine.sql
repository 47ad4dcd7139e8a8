-- Issue 16: a stream (a room, a member, a meeting token) whose event the view cannot apply is
-- quarantined instead of stopping the view for everyone. Its later events are held (counted, not
-- applied) until an operator retries it; every read about it answers 503 meanwhile.
create table view_quarantine (
    aggregate_id   varchar(255)  not null primary key,
    room_name      varchar(128),
    first_seq      bigint        not null,
    held_to_seq    bigint        not null,
    event_id       varchar(100)  not null,
    event_type     varchar(255)  not null,
    cause          varchar(1000) not null,
    quarantined_at timestamp(6) with time zone not null
);
create index view_quarantine_room on view_quarantine (room_name);

create table rebuild_view_quarantine (
    aggregate_id   varchar(255)  not null primary key,
    room_name      varchar(128),
    first_seq      bigint        not null,
    held_to_seq    bigint        not null,
    event_id       varchar(100)  not null,
    event_type     varchar(255)  not null,
    cause          varchar(1000) not null,
    quarantined_at timestamp(6) with time zone not null
);
