-- The read no longer writes staged mail's bytes into the database (decision 0016, update): one file per read batch
-- under <data>/inbound/, forced to disk before the batch commits; a row names its file and offset. Rows staged before
-- this version keep their bytes in "raw" and are parsed as before.
alter table mail_inbound
    add column spool        text,
    add column spool_offset bigint,
    drop constraint mail_inbound_raw_check,
    add constraint mail_inbound_raw_check
        check (num_nonnulls(raw, raw_sha256, spool) = 1 and (spool is null) = (spool_offset is null));

-- The parse stage asks, after storing a batch, whether a file is still named by any row.
create index mail_inbound_spool on mail_inbound (spool) where spool is not null;
