-- Members and meeting tokens have streams of their own: "member:<id>" and "token:<jti>" (rooms
-- keep their UUIDs), so an id chosen by a caller can never name another aggregate's stream.
-- Events stored before that move to their typed streams; their payloads keep the plain ids.
update domain_event_entry set aggregate_identifier = 'member:' || aggregate_identifier where type = 'Member';
update domain_event_entry set aggregate_identifier = 'token:' || aggregate_identifier where type = 'MeetingToken';
update snapshot_event_entry set aggregate_identifier = 'member:' || aggregate_identifier where type = 'Member';
update snapshot_event_entry set aggregate_identifier = 'token:' || aggregate_identifier where type = 'MeetingToken';
