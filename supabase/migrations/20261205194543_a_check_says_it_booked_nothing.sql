-- =====================================================================================================================
-- Section - A check says that it booked nothing, not that nothing is booked
-- =====================================================================================================================
-- check_availability ended every answer with "Nothing has been booked yet." ("Todavía no he reservado nada."), also
-- right after the caller's booking in the same call: an assistant could repeat it to a caller who had just booked
-- (helper-78). It meant this check; it now says so. A date in the past is answered the same way.
update private.message_catalog as m set template = v.template
from (values
  ('en', 'availability.nothing_booked', 'Nothing was booked by this check.'),
  ('es', 'availability.nothing_booked', 'Esta consulta no ha reservado nada.'),
  ('en', 'availability.past', 'That is already in the past. Please choose a day or time in the future. Nothing was booked by this check.'),
  ('es', 'availability.past', 'Eso ya ha pasado. Por favor, elija un día o una hora en el futuro. Esta consulta no ha reservado nada.')
) as v(language, key, template)
where m.language = v.language and m.key = v.key;
