-- Files a delivery to Tracker uploaded (decision 0014): a retry of the delivery attaches these instead of uploading
-- again. Keyed by the delivery (its outbox dedup key), as a mail moved to another incident is delivered anew.
create table tracker_upload (
    delivery      varchar(512) not null,
    attachment_id bigint       not null references email_attachment (id) on delete cascade,
    file_id       varchar(64)  not null,
    uploaded_at   timestamptz  not null default now(),
    primary key (delivery, attachment_id)
);
