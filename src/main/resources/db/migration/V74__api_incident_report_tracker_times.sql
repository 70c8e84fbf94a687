-- The report's contractor facts at Tracker's times (docs/sla.md): the first hand-over and the first contractor finish
-- after it are shown at the time their status began in Tracker (incident_status_history.tracker_at, V72) when it is
-- known, else at the time Dispatch recorded them. The rows' order stays by the recorded time.

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
           i.registration_method, t.name, t.sla_minutes, l.name, h.shown_at, f.shown_at, bs.name, ops.operator_group,
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

-- Rows already stored are unchanged (no history row has a Tracker time yet). Otherwise V8's function as it was.
