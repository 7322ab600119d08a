-- service_role could not insert or update an organization (helper-65 #1): the time-zone CHECK calls
-- private.is_iana_timezone as the writing role, and service_role, granted the table and private.iana_time_zones, had
-- no USAGE on the private schema ("permission denied for schema private"). An admin tool with the secret key (REST
-- API) can now create and rename tenants. USAGE only: every private function and table keeps its own grants.
grant usage on schema private to service_role;
