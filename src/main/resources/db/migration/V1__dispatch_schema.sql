-- The whole data model of Dispatch (DESIGN.md "Data"). Times are timestamptz (stored UTC).

-- platform -------------------------------------------------------------------------------------------------------

create table shedlock (
    name       varchar(64)  primary key,
    lock_until timestamptz  not null,
    locked_at  timestamptz  not null,
    locked_by  varchar(255) not null
);

-- Watermarks, OAuth token pairs and other small state that must survive restarts and be shared by instances.
create table sync_state (
    key        varchar(128) primary key,
    value      jsonb        not null,
    updated_at timestamptz  not null default now()
);

-- Transactional outbox: every side effect on another system is a row written with the data that caused it.
create table outbox (
    id            bigint generated always as identity primary key,
    kind          varchar(64)  not null,
    dedup_key     varchar(512) not null,
    ordering_key  varchar(128),
    payload       jsonb        not null default '{}',
    status        varchar(16)  not null default 'PENDING',
    attempts      integer      not null default 0,
    next_at       timestamptz  not null default now(),
    last_error    text,
    created_at    timestamptz  not null default now(),
    done_at       timestamptz,
    constraint outbox_dedup_key_unique unique (dedup_key),
    constraint outbox_status_check check (status in ('PENDING', 'DONE', 'FAILED'))
);
create index outbox_due_idx on outbox (next_at, id) where status = 'PENDING';
create index outbox_ordering_idx on outbox (ordering_key, id) where status = 'PENDING';

-- towerstore -----------------------------------------------------------------------------------------------------

create table contractor (
    id                     bigint generated always as identity primary key,
    name                   varchar(256) not null,
    excluded_from_contract boolean      not null default false,
    removed_at             timestamptz,
    updated_at             timestamptz  not null default now(),
    constraint contractor_name_unique unique (name)
);

create table contractor_email (
    contractor_id bigint       not null references contractor (id) on delete cascade,
    email         varchar(320) not null,
    primary key (contractor_id, email)
);

create table contractor_phone (
    contractor_id bigint      not null references contractor (id) on delete cascade,
    phone         varchar(16) not null,
    primary key (contractor_id, phone)
);

create table pole (
    id                     bigint generated always as identity primary key,
    site_id                bigint        not null,
    code                   varchar(64)   not null,
    bs_name                varchar(256),
    status                 varchar(256),
    latitude               double precision,
    longitude              double precision,
    height                 double precision,
    region                 varchar(256),
    region_ru              varchar(256),
    address                varchar(1024),
    infrastructure_company varchar(256),
    anchor_operator        varchar(256),
    contractor_id          bigint references contractor (id) on delete set null,
    removed_at             timestamptz,
    updated_at             timestamptz   not null default now(),
    constraint pole_site_id_unique unique (site_id),
    constraint pole_coordinates_finite check (latitude is null or latitude between -90 and 90),
    constraint pole_longitude_finite check (longitude is null or longitude between -180 and 180)
);
create index pole_code_idx on pole (code varchar_pattern_ops);
create index pole_contractor_idx on pole (contractor_id);

create table operator (
    id         bigint generated always as identity primary key,
    name       varchar(256) not null,
    group_name varchar(256),
    constraint operator_name_group_unique unique nulls not distinct (name, group_name)
);

create table base_station (
    id         bigint generated always as identity primary key,
    pole_id    bigint       not null references pole (id),
    name       varchar(256) not null,
    removed_at timestamptz,
    updated_at timestamptz  not null default now(),
    constraint base_station_pole_name_unique unique (pole_id, name)
);
create index base_station_name_idx on base_station (name varchar_pattern_ops);

create table base_station_operator (
    base_station_id bigint not null references base_station (id) on delete cascade,
    operator_id     bigint not null references operator (id) on delete cascade,
    primary key (base_station_id, operator_id)
);

-- incident -------------------------------------------------------------------------------------------------------

create table incident_type (
    id          bigint generated always as identity primary key,
    name        varchar(256)  not null,
    description varchar(1024),
    sla_minutes integer,
    constraint incident_type_name_unique unique (name),
    constraint incident_type_sla_positive check (sla_minutes is null or sla_minutes > 0)
);

create table incident_status (
    id          bigint generated always as identity primary key,
    name        varchar(256)  not null,
    description varchar(1024),
    constraint incident_status_name_unique unique (name)
);

-- Dispatchers are Tracker users (by login) who may be assigned incidents.
create table dispatcher (
    id               bigint generated always as identity primary key,
    login            varchar(150) not null,
    display_name     varchar(256),
    tracker_uid      varchar(64),
    active           boolean      not null default true,
    last_assigned_at timestamptz,
    constraint dispatcher_login_unique unique (login)
);

create sequence incident_code_seq start with 1000;

create table incident (
    id                  bigint generated always as identity primary key,
    code                varchar(32)  not null,
    tracker_key         varchar(64),
    type_id             bigint references incident_type (id) on delete set null,
    pole_id             bigint references pole (id),
    base_station_id     bigint references base_station (id),
    dispatcher_id       bigint references dispatcher (id) on delete set null,
    summary             varchar(1024),
    incident_at         timestamptz  not null,
    finished_at         timestamptz,
    registration_method varchar(16)  not null,
    new_message         boolean      not null default false,
    location_note       varchar(1024),
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now(),
    version             bigint       not null default 0,
    constraint incident_code_unique unique (code),
    constraint incident_tracker_key_unique unique (tracker_key),
    constraint incident_registration_method_check check (registration_method in ('EMAIL', 'MANUAL'))
);
create index incident_incident_at_idx on incident (incident_at desc, id desc);
create index incident_open_created_idx on incident (dispatcher_id, created_at) where finished_at is null;
create index incident_updated_at_idx on incident (updated_at);

create table incident_status_history (
    id          bigint generated always as identity primary key,
    incident_id bigint       not null references incident (id) on delete cascade,
    status_id   bigint       not null references incident_status (id),
    at          timestamptz  not null default now(),
    comment     varchar(1024)
);
create index incident_status_history_incident_idx on incident_status_history (incident_id, at, id);

-- Manual fixes, merge conflicts and other events that explain an incident's life.
create table incident_event (
    id          bigint generated always as identity primary key,
    incident_id bigint       not null references incident (id) on delete cascade,
    kind        varchar(64)  not null,
    detail      jsonb        not null default '{}',
    at          timestamptz  not null default now()
);
create index incident_event_incident_idx on incident_event (incident_id, at);

-- mail -----------------------------------------------------------------------------------------------------------

create table mail_folder (
    id          bigint generated always as identity primary key,
    account     varchar(128) not null,
    name        varchar(512) not null,
    role        varchar(16)  not null,
    uidvalidity bigint,
    last_uid    bigint       not null default 0,
    updated_at  timestamptz  not null default now(),
    constraint mail_folder_account_name_unique unique (account, name),
    constraint mail_folder_role_check check (role in ('INBOX', 'SENT'))
);

create table email_message (
    id                   bigint generated always as identity primary key,
    message_id           varchar(998) not null,
    message_id_synthetic boolean      not null default false,
    folder_id            bigint       not null references mail_folder (id),
    uid                  bigint       not null,
    direction            varchar(8)   not null,
    origin               varchar(16)  not null,
    auto_kind            varchar(16)  not null default 'NONE',
    subject              text,
    from_address         text,
    from_name            text,
    sent_at              timestamptz,
    received_at          timestamptz,
    stored_at            timestamptz  not null default now(),
    in_reply_to          varchar(998),
    body_text            text,
    body_html            text,
    raw_sha256           char(64)     not null,
    raw_size             bigint       not null,
    bounce_detail        jsonb,
    notes                text,
    incident_id          bigint references incident (id) on delete set null,
    match_method         varchar(32),
    match_detail         varchar(998),
    tracker_comment_id   varchar(64),
    constraint email_message_message_id_unique unique (message_id),
    constraint email_message_direction_check check (direction in ('INBOUND', 'OUTBOUND')),
    constraint email_message_origin_check check (origin in ('EXTERNAL', 'TRACKER', 'SELF')),
    constraint email_message_auto_kind_check check (auto_kind in ('NONE', 'AUTO_REPLY', 'BOUNCE'))
);
create index email_message_incident_idx on email_message (incident_id, sent_at);
create index email_message_in_reply_to_idx on email_message (in_reply_to);
create index email_message_unlinked_idx on email_message (stored_at) where incident_id is null;

-- Every time a message is seen in a folder (the same mail in INBOX and Sent, or delivered twice).
create table email_sighting (
    folder_id        bigint      not null references mail_folder (id),
    uidvalidity      bigint      not null,
    uid              bigint      not null,
    email_message_id bigint      not null references email_message (id) on delete cascade,
    seen_at          timestamptz not null default now(),
    primary key (folder_id, uidvalidity, uid)
);
create index email_sighting_message_idx on email_sighting (email_message_id);

create table email_reference (
    email_message_id      bigint       not null references email_message (id) on delete cascade,
    position              integer      not null,
    referenced_message_id varchar(998) not null,
    primary key (email_message_id, position)
);
create index email_reference_referenced_idx on email_reference (referenced_message_id);

create table email_recipient (
    email_message_id bigint      not null references email_message (id) on delete cascade,
    kind             varchar(8)  not null,
    position         integer     not null,
    address          text        not null,
    name             text,
    primary key (email_message_id, kind, position),
    constraint email_recipient_kind_check check (kind in ('TO', 'CC', 'BCC', 'REPLY_TO'))
);
create index email_recipient_address_idx on email_recipient (lower(address));

create table email_attachment (
    id               bigint generated always as identity primary key,
    email_message_id bigint       not null references email_message (id) on delete cascade,
    position         integer      not null,
    file_name        varchar(512) not null,
    content_type     varchar(255) not null,
    size             bigint       not null,
    sha256           char(64),
    inline           boolean      not null default false,
    content_id       varchar(998),
    skipped_reason   varchar(512),
    tracker_attachment_id varchar(64),
    constraint email_attachment_position_unique unique (email_message_id, position),
    constraint email_attachment_content_or_reason check (sha256 is not null or skipped_reason is not null)
);
create index email_attachment_sha256_idx on email_attachment (sha256);

-- Messages that could not be parsed or stored: kept with their raw bytes and the reason, never blocking the folder.
create table mail_quarantine (
    id          bigint generated always as identity primary key,
    folder_id   bigint       not null references mail_folder (id),
    uidvalidity bigint       not null,
    uid         bigint       not null,
    raw_sha256  char(64),
    raw_size    bigint,
    reason      text         not null,
    created_at  timestamptz  not null default now(),
    replayed_at timestamptz,
    constraint mail_quarantine_folder_uid_unique unique (folder_id, uidvalidity, uid)
);
