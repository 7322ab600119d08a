-- =====================================================================================================================
-- Section - No unused helper
-- =====================================================================================================================
-- private.to_spoken_time (English only, no year, no repeated-hour words) has had no caller since the tools speak
-- through private.spoken_time (the call's language); 20261129140000 had recreated it. Dropped: one way to say a time.

drop function private.to_spoken_time(timestamptz, text);
