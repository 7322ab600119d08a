-- staff_hours' and staff_time_off's foreign keys to staff_members (organization_id, staff_member_id) each get an index
-- led by those columns, as Supabase's Performance Advisor checks (lint 0001 unindexed_foreign_keys): deleting a staff
-- member finds their hours and time off by index, and RLS's organization filter on staff_time_off — the one tenant
-- table without an index led by organization_id — is indexed too (helper-107). Both are written by admins, rarely.
-- staff_services keeps only its primary key (staff_member_id, service_id), which finds a staff member's rows as well:
-- with a second index the booking path's reads of it were planned anew at times (scripts/bench: 0.14 plans a tool call,
-- not 0).
-- appointments' three composite foreign keys (staff member, service, rescheduled_from) stay served by the partial
-- indexes led by the referencing id, which the booking path reads (`rescheduled_from = new.id`, `staff_member_id =
-- s.id`): leading them with organization_id would leave those reads without an index, and adding indexes beside them
-- would cost every booking a write each. pgTAP 01 keeps both rules.
drop index public.staff_hours_organization_id_idx;
create index staff_hours_organization_id_idx on public.staff_hours (organization_id, staff_member_id);
create index staff_time_off_organization_id_staff_member_id_idx
  on public.staff_time_off (organization_id, staff_member_id);
