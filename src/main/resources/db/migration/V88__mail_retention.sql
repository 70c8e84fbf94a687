-- Retention (decision 0030): the bulky bytes of old mail go, the rows that explain an incident stay. A row records when
-- its raw message or attachment file was removed; a file still named by a row whose bytes are kept is never deleted.
alter table email_message add column raw_removed_at timestamptz;
alter table email_attachment add column file_removed_at timestamptz;

-- Whether a raw file is still needed is asked per hash of every removed message.
create index email_message_raw_kept_idx on email_message (raw_sha256) where raw_removed_at is null;
