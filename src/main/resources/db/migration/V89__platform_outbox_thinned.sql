-- Retention (decision 0030): a delivery done long ago keeps its row and dedup key (the exactly-once guarantee) but not
-- its payload, which can hold a whole mail.
alter table outbox add column thinned_at timestamptz;

create index outbox_thinnable_idx on outbox (done_at) where status = 'DONE' and thinned_at is null;
