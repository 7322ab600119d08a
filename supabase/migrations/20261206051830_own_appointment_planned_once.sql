-- The caller's-own-appointment check (said with a refused booking or a one-start check of a caller with a number) is
-- planned once per connection. On a young database — a few rows a table, one page each — PostgreSQL found its custom
-- plans cheaper than the generic one and planned it anew at every call, for good; pgTAP 69 saw it when it ran first
-- on a fresh database. The generic plan is the one a large database gets anyway: an index scan on (organization_id,
-- start_time) and per-row index probes of staff_services' primary key (checked at 20 000 tenants, 300 000
-- staff_services rows). `CREATE OR REPLACE FUNCTION` replaces the setting: a redefinition must repeat it.
alter function private.own_appointment_sentence(private.tool_call_context, timestamptz, timestamptz, uuid, uuid)
  set plan_cache_mode = force_generic_plan;
