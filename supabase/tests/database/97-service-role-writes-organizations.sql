-- The secret key (service_role, as through the REST API) creates and renames an organization: its time-zone CHECK
-- reaches private.is_iana_timezone (helper-65 #1); a bad zone is still refused.
begin;
select plan(3);

select tests.authenticate_as_service_role();
select lives_ok($$ insert into public.organizations (id, name, timezone)
                   values ('97000000-0000-4000-8000-00000000000a', 'Made With The Secret Key', 'Europe/Lisbon') $$,
  'service_role inserts an organization');
select lives_ok($$ update public.organizations set name = 'Renamed' where id = '97000000-0000-4000-8000-00000000000a' $$,
  'service_role renames it');
select throws_ok($$ insert into public.organizations (name, timezone) values ('Bad Zone', 'Mars/Olympus') $$,
  '23514', null, 'a zone that is not IANA is still refused');
reset role;

select * from finish();
rollback;
