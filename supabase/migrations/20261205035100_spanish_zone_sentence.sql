-- The Spanish zone sentence read "Las horas son en hora de Nueva York" (every spoken zone in Spanish starts with
-- "hora"): now "Los horarios corresponden a la hora de Nueva York". A template an admin has already changed stays.
update private.message_catalog
   set template = 'Los horarios corresponden a la {zone}.'
 where language = 'es' and key = 'slots.zone' and template = 'Las horas son en {zone}.';
