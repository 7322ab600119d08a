-- =====================================================================================================================
-- Section - One source for "a phone number stored in E.164"
-- =====================================================================================================================
-- The format rule lived in two column checks and in normalize_e164. Columns now share one domain; new phone columns
-- (notifications, transfer destinations, …) use it too. Stored numbers are already normalised: `+` and 7–15 digits.
create domain public.e164 as text
  constraint e164_format check (value ~ '^\+[1-9][0-9]{6,14}$');

alter table public.appointments
  drop constraint appointments_customer_phone_is_e164,
  alter column customer_phone type public.e164;

alter table public.customer_configurations
  drop constraint customer_configurations_phone_is_e164,
  alter column vapi_phone_number type public.e164;
