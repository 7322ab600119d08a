-- The staff tables' foreign keys to staff_members (organization_id, staff_member_id) each get an index led by those
-- columns, as Supabase's Performance Advisor checks (lint 0001 unindexed_foreign_keys): deleting a staff member finds
-- their hours, services and time off by index, and RLS's organization filter on staff_time_off — the one tenant table
-- without an index led by organization_id — is indexed too (helper-107). These tables are written by admins, rarely.
-- appointments' three composite foreign keys (staff member, service, rescheduled_from) stay served by the partial
-- indexes led by the referencing id, which the booking path reads (`rescheduled_from = new.id`, `staff_member_id =
-- s.id`): leading them with organization_id would leave those reads without an index, and adding indexes beside them
-- would cost every booking a write each. pgTAP 01 keeps both rules.
drop index public.staff_hours_organization_id_idx;
create index staff_hours_organization_id_idx on public.staff_hours (organization_id, staff_member_id);
create index staff_time_off_organization_id_staff_member_id_idx
  on public.staff_time_off (organization_id, staff_member_id);
create index staff_services_organization_id_staff_member_id_idx
  on public.staff_services (organization_id, staff_member_id);
