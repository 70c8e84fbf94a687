-- A FAILED message blocks the later messages of its ordering key, like a PENDING one: per-incident order holds
-- until a person retries or drops it.
drop index outbox_ordering_idx;
create index outbox_unfinished_idx on outbox (ordering_key, id) where status <> 'DONE';
