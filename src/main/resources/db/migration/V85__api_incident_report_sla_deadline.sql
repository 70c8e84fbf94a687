-- The report row carries the SLA deadline in effect (docs/sla.md, "SLA clock"; decision 0027): the business
-- calendar's and pauses' deadline where the type has them, none while paused, else the wall clock one. Reports (and
-- the SLA statistics) read it instead of computing SLA start + minutes.

alter table incident_report
    add column sla_deadline timestamptz,
    add column sla_paused   boolean not null default false;

update incident_report set sla_deadline = incident_at + sla_minutes * interval '1 minute'
where sla_minutes is not null;

-- V74's function with the two columns added.
create or replace function incident_report_refresh(ids bigint[]) returns void language plpgsql
set plan_cache_mode = force_generic_plan as $$
begin
    if cardinality(ids) = 0 then
        return;
    end if;
    insert into incident_report as r (
        incident_id, version, code, tracker_key, incident_at, finished_at, registration_method, type_name, sla_minutes,
        last_status, handed_over_at, vendor_finished_at, base_station, operator_group, operators, pole, region_ru,
        address, latitude, longitude, vendor, vendor_emails, dispatcher, sla_deadline, sla_paused)
    select i.id, nextval('incident_report_version'), i.code, i.tracker_key, i.incident_at, i.finished_at,
           i.registration_method, t.name, t.sla_minutes, l.name, h.shown_at, f.shown_at, bs.name, ops.operator_group,
           ops.operators, p.code, p.region_ru, p.address, p.latitude, p.longitude, c.name, em.emails, d.login,
           incident_sla_deadline(i.incident_at, t.sla_minutes, i.sla_deadline, i.sla_paused), i.sla_paused
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
    left join lateral (select coalesce(x.tracker_at, x.at) as shown_at, x.at, x.id
                       from incident_status_history x join incident_status s on s.id = x.status_id
                       where x.incident_id = i.id and s.name = 'Передано подрядчику'
                       order by x.at, x.id limit 1) h on true
    left join lateral (select coalesce(x.tracker_at, x.at) as shown_at
                       from incident_status_history x join incident_status s on s.id = x.status_id
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
            vendor = excluded.vendor, vendor_emails = excluded.vendor_emails, dispatcher = excluded.dispatcher,
            sla_deadline = excluded.sla_deadline, sla_paused = excluded.sla_paused
        where (r.code, r.tracker_key, r.incident_at, r.finished_at, r.registration_method, r.type_name,
               r.sla_minutes, r.last_status, r.handed_over_at, r.vendor_finished_at, r.base_station,
               r.operator_group, r.operators, r.pole, r.region_ru, r.address, r.latitude, r.longitude, r.vendor,
               r.vendor_emails, r.dispatcher, r.sla_deadline, r.sla_paused)
              is distinct from
              (excluded.code, excluded.tracker_key, excluded.incident_at, excluded.finished_at,
               excluded.registration_method, excluded.type_name, excluded.sla_minutes, excluded.last_status,
               excluded.handed_over_at, excluded.vendor_finished_at, excluded.base_station, excluded.operator_group,
               excluded.operators, excluded.pole, excluded.region_ru, excluded.address, excluded.latitude,
               excluded.longitude, excluded.vendor, excluded.vendor_emails, excluded.dispatcher, excluded.sla_deadline,
               excluded.sla_paused);
end $$;

-- The clock's columns change by themselves (a pause, a resume): the row follows.
create trigger incident_report_sla_update after update of sla_deadline, sla_paused on incident for each row
    when ((old.sla_deadline, old.sla_paused) is distinct from (new.sla_deadline, new.sla_paused))
    execute function incident_report_incident_updated();
