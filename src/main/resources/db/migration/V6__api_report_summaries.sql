-- What the reports API shows from an incident's status history and a base station's operators (decision 0004), kept
-- up to date by triggers, so that a report reads one row per incident instead of aggregating the history and the
-- operators on every request.

-- No row = no history. The status names are those of reference §6.5.
create table incident_report_history (
    incident_id        bigint primary key references incident (id) on delete cascade,
    last_status_id     bigint not null references incident_status (id),
    handed_over_at     timestamptz,
    vendor_finished_at timestamptz
);

-- No row = no operators. Lists: distinct, sorted by code point (collation "C"), joined with ", ".
create table base_station_report_operators (
    base_station_id bigint primary key references base_station (id) on delete cascade,
    operator_group  text,
    operators       text
);

-- The last status by (at, id); the first hand-over; the first contractor finish after that hand-over (by at, then id).
create function incident_report_history_refresh(ids bigint[]) returns void language plpgsql as $$
begin
    -- Two transactions writing one incident's history must not each store a summary without the other's row: the
    -- second waits here for the first, then reads again (each statement takes a new snapshot).
    perform 1 from incident where id = any(ids) order by id for no key update;
    delete from incident_report_history r
    where r.incident_id = any(ids)
      and not exists (select 1 from incident_status_history x where x.incident_id = r.incident_id);
    insert into incident_report_history as r (incident_id, last_status_id, handed_over_at, vendor_finished_at)
    select i.id, l.status_id, h.at, f.at
    from incident i
    join lateral (select x.status_id from incident_status_history x where x.incident_id = i.id
                  order by x.at desc, x.id desc limit 1) l on true
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
        set last_status_id = excluded.last_status_id,
            handed_over_at = excluded.handed_over_at,
            vendor_finished_at = excluded.vendor_finished_at
        where (r.last_status_id, r.handed_over_at, r.vendor_finished_at)
              is distinct from (excluded.last_status_id, excluded.handed_over_at, excluded.vendor_finished_at);
end $$;

create function base_station_report_operators_refresh(ids bigint[]) returns void language plpgsql as $$
begin
    perform 1 from base_station where id = any(ids) order by id for no key update; -- as above
    delete from base_station_report_operators r
    where r.base_station_id = any(ids)
      and not exists (select 1 from base_station_operator bo where bo.base_station_id = r.base_station_id);
    insert into base_station_report_operators as r (base_station_id, operator_group, operators)
    select bo.base_station_id,
           string_agg(distinct o.group_name::text collate "C", ', ' order by o.group_name::text collate "C"),
           string_agg(distinct o.name::text collate "C", ', ' order by o.name::text collate "C")
    from base_station_operator bo join operator o on o.id = bo.operator_id
    where bo.base_station_id = any(ids)
    group by bo.base_station_id
    on conflict (base_station_id) do update
        set operator_group = excluded.operator_group, operators = excluded.operators
        where (r.operator_group, r.operators) is distinct from (excluded.operator_group, excluded.operators);
end $$;

-- A renamed or regrouped operator: every base station it serves. (Deleting one deletes its links, by cascade.)
create function base_station_report_operators_refresh_operators(ids bigint[]) returns void language sql as $$
    select base_station_report_operators_refresh(
        array(select distinct base_station_id from base_station_operator where operator_id = any(ids)));
$$;

-- Statement-level, so a bulk write refreshes each key once: calls the refresh function named by the first argument
-- with the distinct values of the column named by the second in the changed rows; after a truncate, empties the table
-- named by the third. (Transition tables allow one event per trigger, hence four triggers per table.)
create function report_summary_changed() returns trigger language plpgsql as $$
begin
    if tg_op = 'TRUNCATE' then
        execute format('delete from %I', tg_argv[2]);
    else
        execute format('select %I(array(%s))', tg_argv[0], case tg_op
            when 'INSERT' then format('select %1$I from new_rows', tg_argv[1])
            when 'DELETE' then format('select %1$I from old_rows', tg_argv[1])
            else format('select %1$I from new_rows union select %1$I from old_rows', tg_argv[1]) end);
    end if;
    return null;
end $$;

create trigger report_summary_insert after insert on incident_status_history
    referencing new table as new_rows for each statement
    execute function report_summary_changed('incident_report_history_refresh', 'incident_id');
create trigger report_summary_update after update on incident_status_history
    referencing old table as old_rows new table as new_rows for each statement
    execute function report_summary_changed('incident_report_history_refresh', 'incident_id');
create trigger report_summary_delete after delete on incident_status_history
    referencing old table as old_rows for each statement
    execute function report_summary_changed('incident_report_history_refresh', 'incident_id');
create trigger report_summary_truncate after truncate on incident_status_history
    for each statement execute function report_summary_changed('', '', 'incident_report_history');

create trigger report_summary_insert after insert on base_station_operator
    referencing new table as new_rows for each statement
    execute function report_summary_changed('base_station_report_operators_refresh', 'base_station_id');
create trigger report_summary_update after update on base_station_operator
    referencing old table as old_rows new table as new_rows for each statement
    execute function report_summary_changed('base_station_report_operators_refresh', 'base_station_id');
create trigger report_summary_delete after delete on base_station_operator
    referencing old table as old_rows for each statement
    execute function report_summary_changed('base_station_report_operators_refresh', 'base_station_id');
create trigger report_summary_truncate after truncate on base_station_operator
    for each statement execute function report_summary_changed('', '', 'base_station_report_operators');

create trigger report_summary_update after update on operator
    referencing old table as old_rows new table as new_rows for each statement
    execute function report_summary_changed('base_station_report_operators_refresh_operators', 'id');

select incident_report_history_refresh(array(select id from incident));
select base_station_report_operators_refresh(array(select id from base_station));
