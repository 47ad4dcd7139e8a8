-- Axon reads an aggregate's latest snapshot by its identifier on every load; the primary key
-- (sequence_number, aggregate_identifier, type) cannot serve that, so without this index each
-- load would scan every snapshot of every aggregate.
create index snapshot_event_entry_aggregate on snapshot_event_entry (aggregate_identifier, sequence_number);
