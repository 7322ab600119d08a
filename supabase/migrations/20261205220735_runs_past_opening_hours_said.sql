-- =====================================================================================================================
-- Section - A job running into a break is not said to run past closing time
-- =====================================================================================================================
-- A check-up at 12:45 in a clinic that breaks from 13:00 to 14:00 heard "That would run past our closing time." — a
-- caller takes the clinic to close at one for the day (helper-86 #6). The same refusal serves a break and the day's
-- end alike, so it now says what is true of both. The catalog only.
update private.message_catalog set template = case language
    when 'en' then 'That would not finish within our opening hours.'
    else 'No terminaría dentro de nuestro horario de atención.' end
  where key = 'time.runs_past_closing';
