-- One ready row per incident with everything the reports API shows (decision 0004), kept by triggers, so a report
-- reads the matched rows of one table instead of joining nine on every request. (V6 was a first version with two
-- partial summaries, replaced before it was released; hence no V6.)

-- Every change of a row gets a new number: the reports' ETag is a hash of the matched rows' versions.
create sequence incident_report_version;

create table incident_report (
    incident_id         bigint primary key references incident (id) on delete cascade,
    version             bigint      not null,
    code                text        not null,
    tracker_key         text,
    incident_at         timestamptz not null,
    finished_at         timestamptz,
    registration_method text        not null,
    type_name           text,
    sla_minutes         integer,
    last_status         text,             -- null = no history
    handed_over_at      timestamptz,
    vendor_finished_at  timestamptz,
    base_station        text,
    operator_group      text,
    operators           text,
    pole                text,
    region_ru           text,
    address             text,
    latitude            double precision,
    longitude           double precision,
    vendor              text,
    vendor_emails       text,
    dispatcher          text
);
create index incident_report_incident_at_idx on incident_report (incident_at desc, incident_id desc);

-- For the fan-out from a changed pole or base station to its incidents.
create index incident_pole_idx on incident (pole_id);
create index incident_base_station_idx on incident (base_station_id);
create index base_station_operator_operator_idx on base_station_operator (operator_id);

-- Recomputes the rows of the given incidents. History facts (docs/domain.md, "Reports"): the last status by (at, id), the first
-- hand-over, the first contractor finish after that hand-over (by at, then id). Lists are distinct, sorted by code
-- point (collation "C") so the order does not depend on the database's locale, and joined with ", ". A generic plan:
-- PostgreSQL would otherwise re-plan this statement at every call (a custom plan looks cheaper for `= any(ids)`),
-- and planning it costs three times as much as running it for one incident.
create function incident_report_refresh(ids bigint[]) returns void language plpgsql
set plan_cache_mode = force_generic_plan as $$
begin
    if cardinality(ids) = 0 then
        return;
    end if;
    -- Two transactions changing what one incident's row is made of (say a new status and a renamed pole) must not
    -- each store a row without the other's change: the second waits here for the first to commit, then reads again
    -- (each statement takes a new snapshot).
    perform 1 from incident where id = any(ids) order by id for no key update;
    insert into incident_report as r (
        incident_id, version, code, tracker_key, incident_at, finished_at, registration_method, type_name, sla_minutes,
        last_status, handed_over_at, vendor_finished_at, base_station, operator_group, operators, pole, region_ru,
        address, latitude, longitude, vendor, vendor_emails, dispatcher)
    select i.id, nextval('incident_report_version'), i.code, i.tracker_key, i.incident_at, i.finished_at,
           i.registration_method, t.name, t.sla_minutes, l.name, h.at, f.at, bs.name, ops.operator_group,
           ops.operators, p.code, p.region_ru, p.address, p.latitude, p.longitude, c.name, em.emails, d.login
    from incident i
    left join incident_type t on t.id = i.type_id
    left join pole p on p.id = i.pole_id
    left join contractor c on c.id = p.contractor_id
    left join lateral (select string_agg(e.email::text collate "C", ', ' order by e.email::text collate "C") as emails
                       from contractor_email e where e.contractor_id = p.contractor_id) em on true
    left join base_station bs on bs.id = i.base_station_id
    left join lateral (select string_agg(distinct o.group_name::text collate "C", ', '
                                         order by o.group_name::text collate "C") as operator_group,
                              string_agg(distinct o.name::text collate "C", ', '
                                         order by o.name::text collate "C") as operators
                       from base_station_operator bo join operator o on o.id = bo.operator_id
                       where bo.base_station_id = i.base_station_id) ops on true
    left join dispatcher d on d.id = i.dispatcher_id
    left join lateral (select s.name from incident_status_history x join incident_status s on s.id = x.status_id
                       where x.incident_id = i.id order by x.at desc, x.id desc limit 1) l on true
    left join lateral (select x.at, x.id from incident_status_history x join incident_status s on s.id = x.status_id
                       where x.incident_id = i.id and s.name = 'Передано подрядчику'
                       order by x.at, x.id limit 1) h on true
    left join lateral (select x.at from incident_status_history x join incident_status s on s.id = x.status_id
                       where x.incident_id = i.id
                         and s.name in ('Уведомили о закрытии', 'На генерации НБ', 'Закрыт')
                         and (x.at, x.id) > (h.at, h.id)
                       order by x.at, x.id limit 1) f on true
    where i.id = any(ids)
    on conflict (incident_id) do update
        set version = excluded.version, code = excluded.code, tracker_key = excluded.tracker_key,
            incident_at = excluded.incident_at, finished_at = excluded.finished_at,
            registration_method = excluded.registration_method, type_name = excluded.type_name,
            sla_minutes = excluded.sla_minutes, last_status = excluded.last_status,
            handed_over_at = excluded.handed_over_at, vendor_finished_at = excluded.vendor_finished_at,
            base_station = excluded.base_station, operator_group = excluded.operator_group,
            operators = excluded.operators, pole = excluded.pole, region_ru = excluded.region_ru,
            address = excluded.address, latitude = excluded.latitude, longitude = excluded.longitude,
            vendor = excluded.vendor, vendor_emails = excluded.vendor_emails, dispatcher = excluded.dispatcher
        where (r.code, r.tracker_key, r.incident_at, r.finished_at, r.registration_method, r.type_name,
               r.sla_minutes, r.last_status, r.handed_over_at, r.vendor_finished_at, r.base_station,
               r.operator_group, r.operators, r.pole, r.region_ru, r.address, r.latitude, r.longitude, r.vendor,
               r.vendor_emails, r.dispatcher)
              is distinct from
              (excluded.code, excluded.tracker_key, excluded.incident_at, excluded.finished_at,
               excluded.registration_method, excluded.type_name, excluded.sla_minutes, excluded.last_status,
               excluded.handed_over_at, excluded.vendor_finished_at, excluded.base_station, excluded.operator_group,
               excluded.operators, excluded.pole, excluded.region_ru, excluded.address, excluded.latitude,
               excluded.longitude, excluded.vendor, excluded.vendor_emails, excluded.dispatcher);
end $$;

-- Sets of rows that an incident's row is made of (its history, a contractor's e-mails, a base station's operators),
-- statement-level so that a bulk write (a TowerStore import) refreshes each incident once. Arguments: the column of
-- the changed rows that names what changed (a key), and a query from the keys ($1, bigint[]) to the incidents whose
-- rows show it ('' when the keys are incidents). After a TRUNCATE every incident is refreshed.
create function incident_report_rows_changed() returns trigger language plpgsql as $$
declare
    keys bigint[];
    ids bigint[];
begin
    if tg_op = 'TRUNCATE' then
        perform incident_report_refresh(array(select id from incident));
        return null;
    end if;
    execute format(case tg_op
                       when 'INSERT' then 'select array(select distinct %1$I from new_rows)'
                       when 'DELETE' then 'select array(select distinct %1$I from old_rows)'
                       else 'select array(select %1$I from new_rows union select %1$I from old_rows)' end,
                   tg_argv[0]) into keys;
    if tg_argv[1] = '' then
        ids := keys;
    else
        execute tg_argv[1] into ids using keys;
    end if;
    perform incident_report_refresh(ids);
    return null;
end $$;

create procedure incident_report_watch_rows(tab text, key text, incidents text) language plpgsql as $$
begin
    execute format('create trigger incident_report_insert after insert on %I referencing new table as new_rows'
                   || ' for each statement execute function incident_report_rows_changed(%L, %L)', tab, key, incidents);
    execute format('create trigger incident_report_update after update on %I referencing old table as old_rows'
                   || ' new table as new_rows for each statement execute function incident_report_rows_changed(%L, %L)',
                   tab, key, incidents);
    execute format('create trigger incident_report_delete after delete on %I referencing old table as old_rows'
                   || ' for each statement execute function incident_report_rows_changed(%L, %L)', tab, key, incidents);
    execute format('create trigger incident_report_truncate after truncate on %I'
                   || ' for each statement execute function incident_report_rows_changed(%L, %L)', tab, key, incidents);
end $$;

call incident_report_watch_rows('incident_status_history', 'incident_id', '');
call incident_report_watch_rows('contractor_email', 'contractor_id',
    'select array(select i.id from incident i join pole p on p.id = i.pole_id where p.contractor_id = any($1))');
call incident_report_watch_rows('base_station_operator', 'base_station_id',
    'select array(select id from incident where base_station_id = any($1))');
drop procedure incident_report_watch_rows(text, text, text);

-- An incident inserted with its first status in the same statement (as threading opens one) is left to the history's
-- trigger, which fires for that statement too: one refresh instead of two.
create function incident_report_incidents_inserted() returns trigger language plpgsql as $$
begin
    perform incident_report_refresh(array(
        select n.id from new_rows n
        where not exists (select 1 from incident_status_history x where x.incident_id = n.id)));
    return null;
end $$;

create trigger incident_report_insert after insert on incident referencing new table as new_rows
    for each statement execute function incident_report_incidents_inserted();

-- A changed row of a table an incident's row looks up: row-level, with the shown columns in the condition, so the
-- updates that do not change them (dispatcher.last_assigned_at at every assignment, incident.new_message at every
-- mail, a pole's height) cost nothing. Arguments: the query from the row's id ($1, bigint) to the incidents.
create function incident_report_row_changed() returns trigger language plpgsql as $$
declare
    ids bigint[];
begin
    execute tg_argv[0] into ids using new.id;
    perform incident_report_refresh(ids);
    return null;
end $$;

create trigger incident_report_update after update of code, tracker_key, type_id, pole_id, base_station_id,
    dispatcher_id, incident_at, finished_at, registration_method on incident for each row
    when ((old.code, old.tracker_key, old.type_id, old.pole_id, old.base_station_id, old.dispatcher_id,
           old.incident_at, old.finished_at, old.registration_method)
          is distinct from (new.code, new.tracker_key, new.type_id, new.pole_id, new.base_station_id,
                            new.dispatcher_id, new.incident_at, new.finished_at, new.registration_method))
    execute function incident_report_row_changed('select array[$1]');
create trigger incident_report_update after update of name on incident_status for each row
    when (old.name is distinct from new.name)
    execute function incident_report_row_changed(
        'select array(select distinct incident_id from incident_status_history where status_id = $1)');
create trigger incident_report_update after update of name, sla_minutes on incident_type for each row
    when ((old.name, old.sla_minutes) is distinct from (new.name, new.sla_minutes))
    execute function incident_report_row_changed('select array(select id from incident where type_id = $1)');
create trigger incident_report_update after update of login on dispatcher for each row
    when (old.login is distinct from new.login)
    execute function incident_report_row_changed('select array(select id from incident where dispatcher_id = $1)');
create trigger incident_report_update after update of code, region_ru, address, latitude, longitude, contractor_id
    on pole for each row
    when ((old.code, old.region_ru, old.address, old.latitude, old.longitude, old.contractor_id)
          is distinct from (new.code, new.region_ru, new.address, new.latitude, new.longitude, new.contractor_id))
    execute function incident_report_row_changed('select array(select id from incident where pole_id = $1)');
create trigger incident_report_update after update of name on contractor for each row
    when (old.name is distinct from new.name)
    execute function incident_report_row_changed(
        'select array(select i.id from incident i join pole p on p.id = i.pole_id where p.contractor_id = $1)');
create trigger incident_report_update after update of name on base_station for each row
    when (old.name is distinct from new.name)
    execute function incident_report_row_changed(
        'select array(select id from incident where base_station_id = $1)');
create trigger incident_report_update after update of name, group_name on operator for each row
    when ((old.name, old.group_name) is distinct from (new.name, new.group_name))
    execute function incident_report_row_changed('select array(select i.id from incident i'
        ' join base_station_operator bo on bo.base_station_id = i.base_station_id where bo.operator_id = $1)');

select incident_report_refresh(array(select id from incident));
