/**
 * One feed as an iCalendar object. The data is `public.calendar_feed_events(p_token)`'s answer; what an event
 * is (window, reschedule chains, SEQUENCE) is decided there, this file only writes it down.
 *
 * Times are UTC (`DTSTART:20270314T140000Z`) and the organization's zone is named in X-WR-TIMEZONE: a UTC instant
 * is exact in every client across DST changes, and needs no VTIMEZONE whose STANDARD/DAYLIGHT rules would have to
 * be derived from the zone database by hand. Clients show the times in the viewer's own zone.
 */
import { z } from "zod";
import { contentLine, escapeText, formatUtc, joinLines } from "./ical.ts";

/** Constant, so UIDs never change when the project's URL does (a new UID would duplicate every event). */
export const UID_DOMAIN = "calendar-feed.vapi-multi-tenant-webhook";
export const PRODID = "-//vapi-multi-tenant-webhook//calendar-feed//EN";
/** How often clients that honour it (Apple, Outlook) should poll; Google decides for itself. */
export const REFRESH_INTERVAL = "PT1H";

/** `2027-03-14T14:00:00Z`, as the RPC writes every instant. */
const utcInstant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
const nullableText = z.string().nullable();

export const feedEventSchema = z.object({
  uid_id: z.guid(),
  appointment_id: z.guid(),
  sequence: z.number().int().nonnegative(),
  status: z.string(),
  start_time: utcInstant,
  end_time: utcInstant,
  created_at: utcInstant,
  updated_at: utcInstant,
  customer_name: z.string(),
  customer_phone: nullableText,
  service: nullableText,
  notes: nullableText,
  vapi_call_id: nullableText,
  staff_name: nullableText,
});

/** The RPC's answer: null for an unknown, revoked or expired token. */
export const feedSchema = z.object({
  organization_id: z.guid(),
  organization_name: z.string(),
  timezone: z.string(),
  staff_name: nullableText,
  events: z.array(feedEventSchema),
}).nullable();

export type Feed = NonNullable<z.infer<typeof feedSchema>>;
export type FeedEvent = z.infer<typeof feedEventSchema>;

const utc = (iso: string) => formatUtc(new Date(iso));

function text(name: string, value: string): string {
  return contentLine(name, escapeText(value));
}

/** `Water heater – Ann Smith`; `Cancelled: …` first when cancelled, for clients that show cancelled events. */
export function eventSummary(event: FeedEvent): string {
  const what = event.service?.trim() ? `${event.service.trim()} – ${event.customer_name}` : event.customer_name;
  return event.status === "cancelled" ? `Cancelled: ${what}` : what;
}

/** What staff need at a glance, one fact per line; the phone number is the customer's own (a private feed). */
export function eventDescription(event: FeedEvent, showStaff: boolean): string {
  const lines = [`Customer: ${event.customer_name}`];
  if (event.customer_phone) lines.push(`Phone: ${event.customer_phone}`);
  if (event.service) lines.push(`Service: ${event.service}`);
  if (showStaff && event.staff_name) lines.push(`Staff: ${event.staff_name}`);
  if (event.notes) lines.push(`Notes: ${event.notes}`);
  if (event.status !== "scheduled" && event.status !== "confirmed") lines.push(`Status: ${event.status}`);
  // Only what is known: a call id means the phone assistant booked it; without one, who did is not recorded.
  if (event.vapi_call_id) lines.push("Booked by phone assistant", `Call id: ${event.vapi_call_id}`);
  lines.push(`Appointment id: ${event.appointment_id}`);
  return lines.join("\n");
}

function eventLines(event: FeedEvent, showStaff: boolean): string[] {
  return [
    "BEGIN:VEVENT",
    contentLine("UID", `${event.uid_id}@${UID_DOMAIN}`),
    contentLine("SEQUENCE", event.sequence),
    // Without METHOD, DTSTAMP is when the event was last revised in the store (RFC 5545 §3.8.7.2): the body stays
    // byte-identical until something changes, which keeps the ETag stable.
    contentLine("DTSTAMP", utc(event.updated_at)),
    contentLine("CREATED", utc(event.created_at)),
    contentLine("LAST-MODIFIED", utc(event.updated_at)),
    contentLine("DTSTART", utc(event.start_time)),
    contentLine("DTEND", utc(event.end_time)),
    text("SUMMARY", eventSummary(event)),
    text("DESCRIPTION", eventDescription(event, showStaff)),
    contentLine("STATUS", event.status === "cancelled" ? "CANCELLED" : "CONFIRMED"),
    contentLine("TRANSP", event.status === "cancelled" ? "TRANSPARENT" : "OPAQUE"),
    "END:VEVENT",
  ];
}

/** The feed's name in calendar lists: the organization's, with the staff member's for a staff feed. */
export function calendarName(feed: Feed): string {
  return feed.staff_name ? `${feed.organization_name} – ${feed.staff_name}` : feed.organization_name;
}

/**
 * The zone every time in the feed is written in (UTC, `…Z`), as a component: RFC 5545 §3.6 requires at least one, so a
 * feed with no appointments is still a calendar strict parsers accept.
 */
const UTC_TIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:UTC",
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0000",
  "TZOFFSETTO:+0000",
  "TZNAME:UTC",
  "END:STANDARD",
  "END:VTIMEZONE",
];

export function buildCalendar(feed: Feed): string {
  const name = calendarName(feed);
  return joinLines([
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    contentLine("PRODID", PRODID),
    "CALSCALE:GREGORIAN",
    text("NAME", name),
    text("X-WR-CALNAME", name),
    text("X-WR-TIMEZONE", feed.timezone),
    contentLine("REFRESH-INTERVAL;VALUE=DURATION", REFRESH_INTERVAL),
    contentLine("X-PUBLISHED-TTL", REFRESH_INTERVAL),
    ...UTC_TIMEZONE,
    ...feed.events.flatMap((event) => eventLines(event, feed.staff_name === null)),
    "END:VCALENDAR",
  ]);
}
