-- Older Supabase projects grant new sequences to the API roles by default, as they did tables and functions (revoked
-- in 20261125122947_setup.sql). No sequence exists yet; the first one (an identity column) would have handed anon and
-- authenticated `usage, update` — enough for setval() to push a table's ids into collisions (helper-43). Every grant
-- stays explicit.
alter default privileges in schema public revoke all on sequences from anon, authenticated;
