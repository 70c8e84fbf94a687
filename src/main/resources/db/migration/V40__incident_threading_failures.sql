-- Threading isolation (decision 0014): a mail whose threading failed leaves the queue (match_method null) with
-- match_method RETRY (a database error: tried again at next_at) or PARKED (anything else: waits for a person, who
-- replays it). This table, owned by the incident feature, keeps the attempts and the full reason.
create table threading_failure (
    email_message_id bigint      primary key references email_message (id) on delete cascade,
    state            varchar(8)  not null,
    attempts         integer     not null,
    next_at          timestamptz,
    reason           text        not null,
    first_failed_at  timestamptz not null default now(),
    failed_at        timestamptz not null default now(),
    constraint threading_failure_state_check check (state in ('RETRY', 'PARKED'))
);
create index threading_failure_due_idx on threading_failure (next_at) where state = 'RETRY';

-- Mail set aside as FAILED before this change is parked with the reason it kept.
insert into threading_failure (email_message_id, state, attempts, reason, first_failed_at, failed_at)
select id, 'PARKED', 1, coalesce(match_detail, 'threading failed'), stored_at, stored_at
  from email_message where match_method = 'FAILED';
update email_message set match_method = 'PARKED' where match_method = 'FAILED';
