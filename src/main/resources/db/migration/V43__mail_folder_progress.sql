-- Intake stall detection (decision 0014): the UIDNEXT the server announced at the latest read of the folder, the one
-- at the start of the latest read that went through to the end, and when that read ended.
alter table mail_folder add column uid_next bigint;
alter table mail_folder add column uid_next_read bigint;
alter table mail_folder add column read_at timestamptz;
