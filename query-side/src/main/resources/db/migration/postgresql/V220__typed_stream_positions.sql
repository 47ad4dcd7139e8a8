-- The view's read-your-writes positions follow the member and token streams to their typed ids
-- (shared V3__typed_stream_ids): a position recorded under a plain id moves to the stream the
-- event store now holds under "member:<id>" or "token:<jti>".
update view_position set aggregate_id = 'member:' || aggregate_id
 where exists (select 1 from domain_event_entry e where e.aggregate_identifier = 'member:' || view_position.aggregate_id and e.type = 'Member');
update view_position set aggregate_id = 'token:' || aggregate_id
 where exists (select 1 from domain_event_entry e where e.aggregate_identifier = 'token:' || view_position.aggregate_id and e.type = 'MeetingToken');
update rebuild_view_position set aggregate_id = 'member:' || aggregate_id
 where exists (select 1 from domain_event_entry e where e.aggregate_identifier = 'member:' || rebuild_view_position.aggregate_id and e.type = 'Member');
update rebuild_view_position set aggregate_id = 'token:' || aggregate_id
 where exists (select 1 from domain_event_entry e where e.aggregate_identifier = 'token:' || rebuild_view_position.aggregate_id and e.type = 'MeetingToken');
