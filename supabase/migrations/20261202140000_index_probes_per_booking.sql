-- =====================================================================================================================
-- Section - Each lookup of a booking is one index probe on the key that decides it (issue 13; scripts/bench). Same
-- answers; generic plans (plpgsql caches them) no longer depend on the planner breaking a tie the right way.
-- CREATE OR REPLACE keeps grants and signatures.
-- =====================================================================================================================

/**
  * The staff member a job at [p_start, p_blocked_until) goes to, or null when none is free: p_prefer when free (a
  * rescheduled job keeps its person), else the free qualified one with the fewest active appointments that local
  * day, ties by name then id. The day's counts come from ONE range scan of the organization's appointments that day
  * (appointments_organization_id_start_time_idx; a staff member's appointments are always their organization's, by
  * the composite foreign key), not a probe of the staff GiST index per staff member.
  */
create or replace function private.pick_staff_member(
  p_organization public.organizations, p_service_id uuid, p_staff_member_id uuid, p_start timestamptz,
  p_blocked_until timestamptz, p_prefer uuid default null)
  returns uuid
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_day timestamp := pg_catalog.date_trunc('day', p_start at time zone p_organization.timezone);
  v_day_start timestamptz := v_day at time zone p_organization.timezone;
  v_day_end timestamptz := (v_day + interval '1 day') at time zone p_organization.timezone;
begin
  return (select f.staff_member_id
    from private.free_staff_members(p_organization.id, p_service_id, p_staff_member_id, array[p_start],
                                    p_blocked_until - p_start) as f
    join public.staff_members as s on s.organization_id = p_organization.id and s.id = f.staff_member_id
    left join (select a.staff_member_id, pg_catalog.count(*) as jobs
               from public.appointments as a
               where a.organization_id = p_organization.id
                 and a.start_time >= v_day_start and a.start_time < v_day_end
                 and a.is_active and a.staff_member_id is not null
               group by a.staff_member_id) as d on d.staff_member_id = f.staff_member_id
    order by f.staff_member_id = p_prefer desc nulls last, coalesce(d.jobs, 0), s.name, s.id
    limit 1);
end;
$$;

/**
  * The language a call is answered in: the language the caller switched to (call_logs.language), else the primary
  * language of the configuration that took the call (by assistant id, else the organization's oldest active one),
  * mapped onto the catalog; English when the catalog lacks it. The call log is found by its unique call id, then
  * checked against the organization (probed by organization, the scan grows with the organization's calls).
  */
create or replace function private.call_language(p_organization_id uuid, p_vapi_call_id text, p_assistant_id text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return coalesce(private.catalog_language(coalesce(
    (select case when l.organization_id = p_organization_id then l.language end
     from public.call_logs as l
     where l.vapi_call_id = p_vapi_call_id),
    (select c.primary_language from public.customer_configurations as c
     where c.organization_id = p_organization_id and c.is_active
     order by c.vapi_assistant_id is not distinct from p_assistant_id desc, c.created_at
     limit 1))), 'en');
end;
$$;

/**
  * The catalog's language for a BCP 47 tag: the tag itself, else its base language (es-MX → es), else null. Two
  * probes of message_catalog_pkey (language, key) instead of sorting the catalog.
  */
create or replace function private.catalog_language(p_language text)
  returns text
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return (
    select u.language
    from pg_catalog.unnest(array[p_language, pg_catalog.split_part(p_language, '-', 1)]) with ordinality
           as u(language, rank)
    where exists (select 1 from private.message_catalog as m where m.language = u.language)
    order by u.rank
    limit 1);
end;
$$;

/**
  * The organization's opening intervals that overlap [p_from, p_to] (business hours; without any, whole days), never
  * on a closed date; `last_start` is the last moment a job may start. One query (the two cases as a union): the one
  * place the opening rule is written, used by private.is_within_business_hours and private.open_slots. Each day is
  * joined to its weekday's hours by business_hours_window_unique (organization_id, weekday, …).
  */
create or replace function private.opening_intervals(
  p_organization_id uuid, p_timezone text, p_from timestamptz, p_to timestamptz)
  returns table (opens timestamptz, last_start timestamptz, closes timestamptz)
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return query
    select (d.day + h.opens_at) at time zone p_timezone, (d.day + h.closes_at) at time zone p_timezone,
           (d.day + h.closes_at) at time zone p_timezone
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                    p_to at time zone p_timezone, interval '1 day') as d(day)
    join public.business_hours as h
      on h.organization_id = p_organization_id and h.weekday = extract(dow from d.day)::smallint
    where not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date)
    union all
    select d.day at time zone p_timezone, (d.day + interval '1 day') at time zone p_timezone, 'infinity'::timestamptz
    from pg_catalog.generate_series(pg_catalog.date_trunc('day', p_from at time zone p_timezone) - interval '1 day',
                                    p_to at time zone p_timezone, interval '1 day') as d(day)
    where not exists (select 1 from public.business_hours as h where h.organization_id = p_organization_id)
      and not exists (select 1 from public.closed_dates as c
                      where c.organization_id = p_organization_id and c.closed_on = d.day::date);
end;
$$;

/**
  * True when [p_start, p_end) lies inside one opening interval of the organization (private.opening_intervals): the
  * rule stays written once (20261202130000 had inlined a copy of it).
  */
create or replace function private.is_within_business_hours(
  p_organization_id uuid, p_timezone text, p_start timestamptz, p_end timestamptz)
  returns boolean
  language plpgsql
  stable
  set search_path = ''
as $$
begin
  return exists (select 1 from private.opening_intervals(p_organization_id, p_timezone, p_start, p_start) as i
                 where i.opens <= p_start and p_start < i.last_start and p_end <= i.closes);
end;
$$;
