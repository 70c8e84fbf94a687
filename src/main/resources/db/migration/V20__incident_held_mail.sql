-- Flood protection (decision 0012): new-incident mail of a sender over its limit waits here instead of opening an
-- incident. Owned by the incident feature. The held mail itself stays in email_message with match_method 'HELD', so it
-- leaves the threading queue; releasing it puts it back (match_method null) and marks the hold released.
create table mail_hold (
    email_message_id bigint      primary key references email_message (id) on delete cascade,
    sender           text        not null,
    scope            varchar(8)  not null,
    held_at          timestamptz not null,
    release_after    timestamptz not null,
    released_at      timestamptz,
    released_by      text,
    constraint mail_hold_scope_check check (scope in ('ADDRESS', 'DOMAIN'))
);
create index mail_hold_waiting_idx on mail_hold (release_after) where released_at is null;
create index mail_hold_sender_idx on mail_hold (sender) where released_at is null;

-- How many incidents a sender (address, domain) opened lately: counted on every new-incident mail.
create index email_message_opened_by_address_idx on email_message (lower(from_address), stored_at)
    where match_method = 'NEW_INCIDENT';
create index email_message_opened_by_domain_idx on email_message (lower(split_part(from_address, '@', 2)), stored_at)
    where match_method = 'NEW_INCIDENT';
