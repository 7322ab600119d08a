-- anon (the public API key) reaches no table, view, sequence or function of this project — read from the catalog,
-- so a table or function added later is covered without editing this file.
begin;
select plan(6);

-- Every relation of the project's schemas (tables, views, materialized views, sequences, foreign tables).
create temp view project_relations as
  select c.oid::regclass as rel, c.relkind
  from pg_catalog.pg_class as c
  where c.relnamespace in ('public'::regnamespace, 'private'::regnamespace)
    and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e');
-- Every function of the project's schemas (extension members excluded).
create temp view project_functions as
  select p.oid::regprocedure as fn
  from pg_catalog.pg_proc as p
  where p.pronamespace in ('public'::regnamespace, 'private'::regnamespace)
    and not exists (select 1 from pg_catalog.pg_depend d where d.objid = p.oid and d.deptype = 'e');
grant select on project_relations, project_functions to anon;

select cmp_ok((select count(*) from project_relations where relkind = 'r')::int, '>=', 8,
  'the project''s tables are found in the catalog');
select is_empty($$
  select rel from project_relations
  where pg_catalog.has_table_privilege('anon', rel, 'select, insert, update, delete, truncate, references, trigger')
     or (relkind <> 'S' and pg_catalog.has_any_column_privilege('anon', rel, 'select, insert, update, references'))
     or (relkind = 'S' and pg_catalog.has_sequence_privilege('anon', rel, 'usage, select, update')) $$,
  'anon holds no privilege on any table, view or sequence (nor on any column)');
select is_empty($$ select fn from project_functions where pg_catalog.has_function_privilege('anon', fn, 'execute') $$,
  'anon can execute no function of public or private');
select ok(not pg_catalog.has_schema_privilege('anon', 'private', 'usage'), 'anon cannot even look into private');

-- The same, the way a request with the anon key meets it: every table read is refused outright.
select tests.clear_authentication();
set local role anon;
create temp table anon_reads (rel regclass, refused boolean);
do $$
declare
  v_rel regclass;
begin
  for v_rel in select rel from project_relations where relkind in ('r', 'p', 'v', 'm') loop
    begin
      execute pg_catalog.format('select 1 from %s limit 1', v_rel);
      insert into anon_reads values (v_rel, false);
    exception when insufficient_privilege then
      insert into anon_reads values (v_rel, true);
    end;
  end loop;
end;
$$;
reset role;
select is_empty($$ select rel from anon_reads where not refused $$, 'reading any table as anon is permission denied');
select cmp_ok((select count(*) from anon_reads)::int, '>=', 8, 'every table was tried as anon');

select * from finish();
rollback;
