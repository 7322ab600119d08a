-- Sentences that were false in some cases they cover (helper-36's wording notes):
-- - availability.past said "That day has already passed" also for a time earlier today ("is 9:00 free?" at 11:00);
-- - cancel.past / reschedule.past said "has already taken place" for an appointment in progress;
-- - arg.bad_duration said "must be between 5 minutes and 8 hours" for 30.5 (a fraction of a minute is the problem).
insert into private.message_catalog (language, key, template) values
  ('en', 'availability.past', 'That is already in the past. Please choose a day or time in the future. Nothing was booked.'),
  ('es', 'availability.past', 'Eso ya ha pasado. Por favor, elija un día o una hora en el futuro. No he reservado nada.'),
  ('en', 'cancel.past', 'That appointment has already started, so it can no longer be cancelled.'),
  ('es', 'cancel.past', 'Esa cita ya ha empezado, así que ya no se puede cancelar.'),
  ('en', 'reschedule.past', 'That appointment has already started, so it can no longer be moved.'),
  ('es', 'reschedule.past', 'Esa cita ya ha empezado, así que ya no se puede cambiar.'),
  ('en', 'arg.bad_duration', 'The appointment length must be a whole number of minutes, from 5 minutes to 8 hours.'),
  ('es', 'arg.bad_duration', 'La duración de la cita tiene que ser un número entero de minutos, de 5 minutos a 8 horas.')
on conflict (language, key) do update set template = excluded.template;
