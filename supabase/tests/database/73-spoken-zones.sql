-- Zones are said the way they run (20261204143500_spoken_utc_offsets.sql): Etc/GMT+5 is five hours BEHIND UTC and is
-- said "UTC minus 5", never "GMT+5 time"; other names of UTC are UTC; some cities as a caller writes them; old link
-- names as the zone they stand for.
begin;
select plan(19);

select is(private.spoken_zone('Etc/GMT+5', 'en'), 'UTC minus 5', 'Etc/GMT+5 runs behind UTC');
select is(private.spoken_zone('Etc/GMT-14', 'en'), 'UTC plus 14', 'Etc/GMT-14 runs ahead of it');
select is(private.spoken_zone('Etc/GMT+5', 'es-MX'), 'hora UTC menos 5', 'in Spanish');
select is(private.spoken_zone('Etc/GMT', 'en') || ' ' || private.spoken_zone('Etc/UTC', 'en') || ' ' || private.spoken_zone('Zulu', 'es'),
  'UTC UTC hora UTC', 'every other name of UTC is UTC');
select is(private.spoken_zone('America/St_Johns', 'en'), 'St. John''s time', 'St. John''s as written');
select is(private.spoken_zone('Asia/Kathmandu', 'es'), 'hora de Katmandú', 'Katmandú in Spanish');
select is(private.spoken_zone('America/New_York', 'es'), 'hora de Nueva York', 'cities as before');
-- Old link names (20261204150300_old_zone_names.sql, helper-39)
select is(private.spoken_zone('Mexico/General', 'es'), 'hora de Ciudad de México', 'Mexico/General is Mexico City');
select is(private.spoken_zone('Brazil/East', 'en') || ', ' || private.spoken_zone('Chile/Continental', 'en'),
  'Sao Paulo time, Santiago time', 'Brazil/East and Chile/Continental as their cities');
select is(private.spoken_zone('America/North_Dakota/Center', 'en'), 'North Dakota time', 'not "Center time"');
select is(private.spoken_zone('US/Eastern', 'en') || ', ' || private.spoken_zone('US/Eastern', 'es'),
  'Eastern time, hora del Este', 'US/Eastern as callers say it');
-- Every other old name an organization may have (20261204163300, 20261204173400)
select is(private.spoken_zone('Australia/North', 'en') || ', ' || private.spoken_zone('Mexico/BajaNorte', 'en') || ', '
          || private.spoken_zone('Australia/NSW', 'es') || ', ' || private.spoken_zone('Asia/Tokyo', 'es'),
  'Darwin time, Tijuana time, hora de Sídney, hora de Tokio', 'regions as their cities; Spanish city names');
select is(private.spoken_zone('US/East-Indiana', 'en') || ', ' || private.spoken_zone('US/Aleutian', 'es') || ', '
          || private.spoken_zone('America/Argentina/ComodRivadavia', 'en'),
  'Indianapolis time, hora de las Aleutianas, Comodoro Rivadavia time', 'shortened link names as the place they stand for');
select is(private.spoken_zone('Chile/EasterIsland', 'en') || ', ' || private.spoken_zone('Pacific/Easter', 'es'),
  'Easter Island time, hora de la Isla de Pascua', 'Easter Island, not "Easter time"');
select is(private.spoken_zone('Australia/Queensland', 'en') || ', ' || private.spoken_zone('Canada/Newfoundland', 'es'),
  'Queensland time, hora de Terranova', 'region names callers do say stay');

insert into public.organizations (id, name, timezone) values
  ('73000000-0000-4000-8000-00000000000a', 'Offset Repairs', 'Etc/GMT+5');
insert into public.customer_configurations (organization_id, vapi_assistant_id) values
  ('73000000-0000-4000-8000-00000000000a', 'asst_offset_repairs');
select (current_date + 7)::text as day \gset
select alike(tests.tool_call('book', 'asst_offset_repairs', 'off_1',
    jsonb_build_object('start_time', :'day' || 'T10:00', 'customer_name', 'Uma'))->>'result',
  '%10:00 AM (UTC minus 5)%', 'a booking at 10:00 there is said with its true offset');
select is((select start_time from public.appointments where organization_id = '73000000-0000-4000-8000-00000000000a'),
  (:'day' || 'T15:00:00Z')::timestamptz, '… and stored at 15:00 UTC');

select is((select array_agg(private.spoken_zone(z, l) order by z, l)
           from unnest(array['Atlantic/Canary', 'Europe/Rome', 'America/Cancun', 'America/Asuncion']) as z,
                unnest(array['en', 'es']) as l),
  array['Asuncion time', 'hora de Asunción', 'Cancun time', 'hora de Cancún', 'Canary Islands time', 'hora de Canarias',
        'Rome time', 'hora de Roma'],
  'places a Spanish speaker says otherwise, and the Canary Islands by name (20261204205500)');

select is((select array_agg(private.spoken_zone(z, 'es') order by z)
           from unnest(array['Australia/Sydney', 'Africa/Johannesburg', 'America/Argentina/Cordoba', 'Europe/Kyiv',
                             'America/Port-au-Prince']) as z),
  array['hora de Johannesburgo', 'hora de Córdoba', 'hora de Puerto Príncipe', 'hora de Sídney', 'hora de Kiev'],
  'more places a Spanish speaker says otherwise (20261205214323)');

select * from finish();
rollback;
