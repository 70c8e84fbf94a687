-- An admin can give up a delivery that failed for good (decision 0014): SKIPPED, with who and why. A skipped
-- delivery no longer holds up the later deliveries of its ordering key.
alter table outbox drop constraint outbox_status_check;
alter table outbox add constraint outbox_status_check check (status in ('PENDING', 'DONE', 'FAILED', 'SKIPPED'));
alter table outbox add column skipped_by varchar(256);
alter table outbox add column skip_reason text;
drop index outbox_unfinished_idx;
create index outbox_unfinished_idx on outbox (ordering_key, id) where status in ('PENDING', 'FAILED');
