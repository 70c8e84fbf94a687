-- Alert state lives in the database, so two instances and a restart agree on what was already said (decision 0023).
create table alert (
    id                   bigint generated always as identity primary key,
    fingerprint          varchar(300) not null,
    severity             varchar(16)  not null,
    -- HEALTH alerts resolve when the component is UP again (with a message); EVENT alerts when they stopped recurring
    kind                 varchar(16)  not null,
    title                text         not null,
    detail               text         not null,
    first_seen           timestamptz  not null default now(),
    last_seen            timestamptz  not null default now(),
    occurrences          integer      not null default 1,
    notified_at          timestamptz,
    notified_occurrences integer      not null default 0,
    resolved_at          timestamptz,
    resolved_notified    boolean      not null default false,
    constraint alert_severity_check check (severity in ('CRITICAL', 'WARNING', 'INFO')),
    constraint alert_kind_check check (kind in ('HEALTH', 'EVENT'))
);
create unique index alert_open_fingerprint_unique on alert (fingerprint) where resolved_at is null;
create index alert_last_seen_idx on alert (last_seen desc);

-- Consecutive DOWN checks per health component: one blip is not an alert, two in a row are, whichever instance
-- made the checks.
create table alert_health_check (
    component   varchar(100) primary key,
    down_checks integer      not null,
    reason      text         not null,
    checked_at  timestamptz  not null
);

-- What was told, newest first: the rate limit counts it, the status page shows it.
create table alert_notice (
    id       bigint generated always as identity primary key,
    alert_id bigint      not null references alert (id) on delete cascade,
    sent_at  timestamptz not null default now(),
    text     text        not null
);
create index alert_notice_sent_at_idx on alert_notice (sent_at desc);
