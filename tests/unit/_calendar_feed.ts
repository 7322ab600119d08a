// Shared by the calendar-feed tests: a feed as calendar_feed_events returns it, and reading an iCalendar object back
// with ical.js (a real RFC 5545 parser) the way calendar apps do.
import ICAL from "ical.js";
import { type Feed, type FeedEvent, UID_DOMAIN } from "../../supabase/functions/calendar-feed/calendar.ts";

// ical.js knows RFC 5545 only; calendar apps read these RFC 7986 / de-facto properties as TEXT, so teach it that.
for (const name of ["name", "x-wr-calname", "x-wr-timezone"]) {
  ICAL.design.icalendar.property[name] = { defaultType: "text" };
}

export function feedEvent(overrides: Partial<FeedEvent> = {}): FeedEvent {
  return {
    uid_id: "0b1472a5-b794-49ce-9957-aa1380fdf4ac",
    appointment_id: "0b1472a5-b794-49ce-9957-aa1380fdf4ac",
    sequence: 0,
    status: "scheduled",
    start_time: "2027-03-12T14:00:00Z",
    end_time: "2027-03-12T15:00:00Z",
    created_at: "2026-11-29T10:00:00Z",
    updated_at: "2026-11-29T10:05:00Z",
    customer_name: "Ann Smith",
    customer_phone: "+15551234567",
    service: "Furnace repair",
    notes: null,
    vapi_call_id: "call_abc",
    staff_name: null,
    ...overrides,
  };
}

export function feedOf(
  events: FeedEvent[],
  staffName: string | null = null,
  organizationName = "HVAC, Heating; & Cooling",
): Feed {
  return {
    organization_id: "d91e4aa4-914a-4d76-b5b7-2ee26e09b2a2",
    organization_name: organizationName,
    timezone: "America/New_York",
    staff_name: staffName,
    events,
  };
}

export function parseCalendar(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
  const byUid = (id: string) => events.filter((e) => e.uid === `${id}@${UID_DOMAIN}`);
  return { calendar, events, byUid };
}

/** `HH:MM` of an instant on the wall clock of `timeZone`. */
export function wallClock(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(date);
}
