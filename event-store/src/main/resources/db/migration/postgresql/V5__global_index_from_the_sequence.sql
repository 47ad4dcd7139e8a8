-- The event store writes with plain JDBC (issue 18): an insert names no global_index, and the
-- column takes it from the sequence the JPA engine allocated from, one position per event.
-- The sequence is moved past every stored position first, should it be behind one (it is not
-- when only the JPA engine wrote: it took every position from it); it never moves back.
alter sequence domain_event_entry_seq increment by 1;
select setval('domain_event_entry_seq', max(global_index)) from domain_event_entry
having max(global_index) >= (select last_value from domain_event_entry_seq);
alter table domain_event_entry alter column global_index set default nextval('domain_event_entry_seq');
