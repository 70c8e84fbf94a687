-- Report rows are brought up to date when read, not in every writer's transaction (decision 0004, "deferred"). The
-- triggers of V7 now only mark an incident's row stale; incident_report_refresh_stale() recomputes the marked rows and
-- runs before every report read and every few seconds. Opening an incident by mail cost ~0.6 ms more for the refresh
-- than for the mark, a pole found in a later mail ~0.5 ms more (decision 0009).

create table incident_report_stale (
    incident_id bigint primary key
);

-- A mark locks its row (an update when it is there already), so a refresh that takes the mark waits for the writer's
-- commit and then reads its change. Marks are taken in id order, as the refresh takes them: no deadlock between two.
create function incident_report_mark(ids bigint[]) returns void language sql as $$
    insert into incident_report_stale (incident_id)
    select distinct id from unnest(ids) id where id is not null order by id
    on conflict (incident_id) do update set incident_id = excluded.incident_id
$$;

-- Recomputes the stale rows; returns how many were stale. One refresh at a time (a transaction-level lock): a report
-- read that comes second waits, then finds nothing left of what the first took.
create function incident_report_refresh_stale() returns integer language plpgsql as $$
declare
    ids bigint[];
begin
    perform pg_advisory_xact_lock(7262002);
    with taken as (
        delete from incident_report_stale
        where incident_id in (select incident_id from incident_report_stale order by incident_id for update)
        returning incident_id)
    select array_agg(incident_id) into ids from taken;
    perform incident_report_refresh(coalesce(ids, '{}'));
    return coalesce(cardinality(ids), 0);
end $$;

-- Unchanged but for the row lock, which serialised writers that refreshed in their own transactions. Refreshes are
-- now serial, and with writers (who may hold an incident's row while they mark it) that lock could deadlock.
create or replace function incident_report_refresh(ids bigint[]) returns void language plpgsql
set plan_cache_mode = force_generic_plan as $$
begin
    if cardinality(ids) = 0 then
        return;
    end if;
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

-- The triggers' functions of V7, marking instead of refreshing. The history's trigger, the hot one (every opened
-- incident, every status), reads its transition table with static SQL, planned once per session.
create or replace function incident_report_rows_changed() returns trigger language plpgsql as $$
declare
    keys bigint[];
    ids bigint[];
begin
    if tg_op = 'TRUNCATE' then
        perform incident_report_mark(array(select id from incident));
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
    perform incident_report_mark(ids);
    return null;
end $$;

create function incident_report_history_inserted() returns trigger language plpgsql as $$
begin
    perform incident_report_mark(array(select incident_id from new_rows));
    return null;
end $$;

drop trigger incident_report_insert on incident_status_history;
create trigger incident_report_insert after insert on incident_status_history referencing new table as new_rows
    for each statement execute function incident_report_history_inserted();

create or replace function incident_report_incidents_inserted() returns trigger language plpgsql as $$
begin
    perform incident_report_mark(array(select id from new_rows));
    return null;
end $$;

create or replace function incident_report_row_changed() returns trigger language plpgsql as $$
declare
    ids bigint[];
begin
    execute tg_argv[0] into ids using new.id;
    perform incident_report_mark(ids);
    return null;
end $$;

-- The incident's own row, hot as well (a location found, every change a dispatcher makes in Tracker): static too.
create function incident_report_incident_updated() returns trigger language plpgsql as $$
begin
    perform incident_report_mark(array[new.id]);
    return null;
end $$;

drop trigger incident_report_update on incident;
create trigger incident_report_update after update of code, tracker_key, type_id, pole_id, base_station_id,
    dispatcher_id, incident_at, finished_at, registration_method on incident for each row
    when ((old.code, old.tracker_key, old.type_id, old.pole_id, old.base_station_id, old.dispatcher_id,
           old.incident_at, old.finished_at, old.registration_method)
          is distinct from (new.code, new.tracker_key, new.type_id, new.pole_id, new.base_station_id,
                            new.dispatcher_id, new.incident_at, new.finished_at, new.registration_method))
    execute function incident_report_incident_updated();
