-- The event store writes with plain JDBC (issue 18): an insert names no global_index, and the
-- column takes it from the sequence the JPA engine allocated from, one position per event.
-- The sequence is moved past every stored position first, should it be behind one (it is not
-- when only the JPA engine wrote: it took every position from it); it never moves back.
alter sequence domain_event_entry_seq increment by 1;
alter sequence domain_event_entry_seq restart with (
    select greatest(coalesce(max(global_index), 0) + 1,
                    (select base_value from information_schema.sequences
                     where sequence_schema = current_schema and sequence_name = 'DOMAIN_EVENT_ENTRY_SEQ'))
    from domain_event_entry);
alter table domain_event_entry alter column global_index set default next value for domain_event_entry_seq;
