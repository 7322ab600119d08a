// LOCAL-ONLY: the catalog queries behind the RPC endpoint's schema cache (rpc-database.ts), as PostgREST reads them.
export const ROUTINES_QUERY = `
  select p.proname as name, p.provolatile::text as volatility, p.proretset as returns_set,
         (t.typtype = 'c' or p.prorettype = 'record'::regtype) as returns_composite,
         p.prorettype = 'void'::regtype as returns_void, p.pronargdefaults::int as n_defaults,
         coalesce(p.proconfig, '{}') as settings,
         coalesce((
           select json_agg(json_build_object('name', a.name, 'type', format_type(a.type, null), 'mode', a.mode)
                           order by a.ord)
             from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),
                         coalesce(p.proargmodes::text[], array_fill('i'::text, array[p.pronargs::int])),
                         p.proargnames) with ordinality as a(type, mode, name, ord)
            where a.mode in ('i', 'b', 'v')
         ), '[]'::json) as params
    from pg_catalog.pg_proc p
    join pg_catalog.pg_namespace n on n.oid = p.pronamespace
    join pg_catalog.pg_type t on t.oid = p.prorettype
   where n.nspname = $1 and p.proname = $2 and p.prokind = 'f'`;

// Role settings (`alter role anon set statement_timeout = ...`) apply to impersonated roles, as in PostgREST >= 12;
// database-specific ones override global ones.
export const ROLE_SETTINGS_QUERY = `
  select r.rolname as role, split_part(setting, '=', 1) as name, substr(setting, strpos(setting, '=') + 1) as value
    from pg_catalog.pg_db_role_setting s
    join pg_catalog.pg_roles r on r.oid = s.setrole, unnest(s.setconfig) as setting
   where s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
     and split_part(setting, '=', 1) not in ('role', 'session_authorization')
   order by s.setdatabase`;

// Which roles a JWT's `role` may name: PostgREST connects as `authenticator`, and PostgreSQL refuses to switch to a role
// it is not a member of (42501) — `postgres` included. Every role is allowed where there is no `authenticator`.
export const ROLES_QUERY = `
  select r.rolname as role, a.oid is null or pg_catalog.pg_has_role(a.oid, r.oid, 'MEMBER') as switchable
    from pg_catalog.pg_roles r
    left join pg_catalog.pg_roles a on a.rolname = 'authenticator'`;
