-- =====================================================================================================================
-- Section - A reschedule points at an appointment of its own organization
-- =====================================================================================================================
-- appointments.rescheduled_from was a plain foreign key to appointments(id): a row written by hand (service role, an
-- admin's SQL) could point at another organization's appointment, and the notification trigger then cancelled that
-- organization's pending texts and its calendar feed hid the appointment (helper-28 #1). Like the staff and service
-- references, it is now composite: (organization_id, rescheduled_from) → (organization_id, id); deleting the earlier
-- appointment still only clears rescheduled_from (pgTAP 68). The webhook's reschedules always stayed within one
-- organization.

alter table public.appointments
  add constraint appointments_organization_id_id_key unique (organization_id, id);

alter table public.appointments
  drop constraint appointments_rescheduled_from_fkey,
  add constraint appointments_rescheduled_from_fkey foreign key (organization_id, rescheduled_from)
    references public.appointments (organization_id, id) on delete set null (rescheduled_from);
