-- =====================================================================================================================
-- Section - Spanish open times said as Latin American callers say them
-- =====================================================================================================================
-- "Huecos libres" is Spain's Spanish; to a caller from Mexico or the US "hueco" is a hole (helper-83 #8). Open times
-- are "horarios disponibles" in every Spanish answer. The catalog only: no function changes.
update private.message_catalog
set template = pg_catalog.replace(pg_catalog.replace(template, 'Huecos libres', 'Horarios disponibles'),
                                  'huecos libres', 'horarios disponibles')
where language = 'es' and template ~* 'huecos libres';
