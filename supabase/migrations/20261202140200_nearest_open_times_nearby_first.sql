-- =====================================================================================================================
-- Section - The nearest open times of a refusal, looked for near the asked time first (issue 13: a "taken" answer
-- cost 1.6 bookings in instructions). Same answers. CREATE OR REPLACE keeps grants and the signature.
-- =====================================================================================================================
/**
  * Up to p_limit open start times nearest to p_around (ties: the earlier), ascending; searched from p_around − 1 day
  * to p_around + 1 day, then to + 14 days when fewer were found. Looked for first within ± 4 hours: every time there
  * is nearer than any time outside, so when that finds p_limit they are the answer (a refusal then searches ~12
  * starts instead of ~40).
  */
create or replace function private.nearest_open_slots(
  p_organization_id uuid, p_around timestamptz, p_duration interval, p_limit integer default 3,
  p_buffer interval default interval '0', p_service_id uuid default null, p_staff_member_id uuid default null)
  returns timestamptz[]
  language plpgsql
  stable
  set search_path = ''
as $$
declare
  v_slots timestamptz[];
  v_before interval[] := array[interval '4 hours', interval '1 day', interval '1 day'];
  v_after interval[] := array[interval '4 hours', interval '1 day', interval '14 days'];
begin
  for i in 1 .. pg_catalog.array_length(v_after, 1) loop
    select coalesce(pg_catalog.array_agg(n.start_at order by n.start_at), '{}') into v_slots
    from (select s.start_at
          from private.open_slots(p_organization_id, p_around - v_before[i], p_around + v_after[i], p_duration, 2000,
                                  p_buffer, p_service_id, p_staff_member_id) as s(start_at)
          order by abs(extract(epoch from s.start_at - p_around)), s.start_at
          limit p_limit) as n;
    exit when pg_catalog.cardinality(v_slots) >= p_limit;
  end loop;
  return v_slots;
end;
$$;
