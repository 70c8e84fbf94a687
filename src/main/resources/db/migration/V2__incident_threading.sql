-- Threading: the queue of messages waiting to be threaded, and incidents that continue a closed one.
create index email_message_unthreaded_idx on email_message (sent_at, id) where match_method is null;
alter table incident add column continues_incident_id bigint references incident (id);
create index incident_code_lower_idx on incident (upper(code));
create index incident_tracker_key_upper_idx on incident (upper(tracker_key));
