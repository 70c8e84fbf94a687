-- Store-first intake (decision 0016): the IMAP read commits each message's raw bytes here with the folder's
-- checkpoint; the parse stage turns each row into email_message (and its details) and deletes it in one transaction.
-- Small messages keep their bytes in the row; large ones were streamed to the raw store and are named by hash.
create table mail_inbound (
    id            bigint generated always as identity primary key,
    folder_id     bigint      not null references mail_folder (id),
    uidvalidity   bigint      not null,
    uid           bigint      not null,
    internal_date timestamptz not null,
    raw           bytea,
    raw_sha256    text,
    raw_size      bigint      not null,
    created_at    timestamptz not null default now(),
    constraint mail_inbound_uid_unique unique (folder_id, uidvalidity, uid),
    constraint mail_inbound_raw_check check ((raw is null) <> (raw_sha256 is null))
);

-- The bytes are mail, mostly compressed already (base64 aside) and deleted within seconds: no TOAST compression.
alter table mail_inbound alter column raw set storage external;
