-- Daily's mtgSessionId: a meeting session begins when someone joins an empty room. The view keeps
-- the id of the session in progress (the identifier of the join event that began it), so a
-- replay gives every session the same id again. Rooms in progress when this runs get one at their
-- next empty-room join.
alter table view_room add column session_id varchar(64);
alter table rebuild_view_room add column session_id varchar(64);
