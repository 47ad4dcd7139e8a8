-- Heartbeats of the query nodes, so each can tell its fair share of the view's segments.
create table query_node (
    node_id      varchar(255) not null primary key,
    heartbeat_at timestamp(6) with time zone not null
);
