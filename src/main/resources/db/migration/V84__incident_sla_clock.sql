-- The SLA clock per incident type (docs/sla.md, "SLA clock"; decision 0027). Without these set a type keeps the wall
-- clock: deadline = SLA start + sla_minutes, exactly as before.
alter table incident_type
    -- a business calendar: the file data/calendar/<sla_calendar>.txt; null = the wall clock
    add column sla_calendar       text,
    -- Tracker status keys (e.g. needAcceptance) in which the SLA clock stands still
    add column sla_pause_statuses text[]  not null default '{}',
    -- Telegram alerts an hour before the deadline and at the breach, once each per incident
    add column sla_alerts         boolean not null default false,
    add constraint incident_type_sla_calendar_name check (sla_calendar ~ '^[a-z0-9][a-z0-9_-]{0,39}$');

-- The deadline the SLA clock computed, for incidents of a type with a calendar or pause statuses (kept by Dispatch
-- on every change of type, status, pause and finish); null for the others, whose deadline is the wall clock one.
-- sla_paused: the clock stands still now (no deadline in effect).
alter table incident
    add column sla_deadline timestamptz,
    add column sla_paused   boolean not null default false;

-- The deadline in effect: none while paused, else the computed one, else the wall clock one. The one definition the
-- SQL readers (report rows, the pull's SLA boundaries, the SLA gauges and alerts) share; Incident.slaDeadline() is
-- its Java twin.
create function incident_sla_deadline(incident_at timestamptz, sla_minutes integer, sla_deadline timestamptz,
                                      sla_paused boolean) returns timestamptz language sql immutable as $$
    select case when sla_paused then null
                else coalesce(sla_deadline, incident_at + sla_minutes * interval '1 minute') end
$$;

-- When the SLA clock stood still: from the time the issue entered a pause status to the time it left it (Tracker's
-- times). At most one open pause per incident.
create table incident_sla_pause (
    id          bigint generated always as identity primary key,
    incident_id bigint      not null references incident (id) on delete cascade,
    paused_at   timestamptz not null,
    resumed_at  timestamptz,
    constraint incident_sla_pause_order check (resumed_at is null or resumed_at >= paused_at)
);
create index incident_sla_pause_incident_idx on incident_sla_pause (incident_id);
create unique index incident_sla_pause_open_unique on incident_sla_pause (incident_id) where resumed_at is null;

-- Owned by the sla feature: the SLA alerts told, one row per incident and kind (WARNING an hour before, BREACHED at
-- the deadline), so each is told once across restarts and instances.
create table sla_alert (
    incident_id bigint      not null references incident (id) on delete cascade,
    kind        varchar(16) not null,
    deadline    timestamptz not null,
    told_at     timestamptz not null default now(),
    primary key (incident_id, kind),
    constraint sla_alert_kind_check check (kind in ('WARNING', 'BREACHED'))
);
