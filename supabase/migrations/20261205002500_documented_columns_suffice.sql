-- =====================================================================================================================
-- Section - A row needs only the columns the contract documents
-- =====================================================================================================================
-- `staff_services (staff_member_id, service_id)`, `staff_time_off (staff_member_id, starts_at, ends_at)` and
-- `staff_hours (staff_member_id, weekday, opens_at, closes_at)` are documented without `organization_id`, which these
-- tables keep (with composite keys) so that no row can point at another tenant's staff or service; an INSERT as written
-- in the README failed on its NOT NULL. It is now taken from the staff member when omitted: a staff member the writer
-- cannot see (RLS) leaves it null and the row is refused, and a given one must still match (the composite keys).
-- `call_logs (organization_id, vapi_call_id)` failed the same way on `resolved_by`, which says how the webhook found the
-- call's tenant: a row written by hand (say, a known call set up for routing by call id) has none. pgTAP 90.

/** A staff row's organization_id, from its staff member when the writer left it out. */
create function private.staff_row_organization()
  returns trigger
  language plpgsql
  set search_path = ''
as $$
begin
  if new.organization_id is null then
    select s.organization_id into new.organization_id from public.staff_members as s where s.id = new.staff_member_id;
  end if;
  return new;
end;
$$;
revoke all on function private.staff_row_organization() from public, anon, authenticated, service_role;

create trigger staff_services_organization before insert on public.staff_services
  for each row execute function private.staff_row_organization();
create trigger staff_time_off_organization before insert on public.staff_time_off
  for each row execute function private.staff_row_organization();
create trigger staff_hours_organization before insert on public.staff_hours
  for each row execute function private.staff_row_organization();

alter table public.call_logs alter column resolved_by drop not null;
comment on column public.call_logs.resolved_by is
  'How the webhook found the call''s tenant (assistant_id, phone_number, call_id); null for a row written by hand.';
