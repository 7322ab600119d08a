// Dates for end-to-end tests: distinct future days (YYYY-MM-DD) per process, and wall-clock → UTC in a zone.

const usedDays = new Set<string>();
const DAY_MS = 86_400_000;
const startOffset = 30 + Math.floor(Math.random() * 30);

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Day of week of a calendar date (0 = Sunday), independent of any zone. */
export function weekday(day: string): number {
  return new Date(`${day}T12:00:00Z`).getUTCDay();
}

function nextFree(fromMs: number, accept: (day: string) => boolean): string {
  for (let ms = fromMs; ms < fromMs + 400 * DAY_MS; ms += DAY_MS) {
    const day = isoDay(ms);
    if (!usedDays.has(day) && accept(day)) {
      usedDays.add(day);
      return day;
    }
  }
  throw new Error("no free future day left");
}

/** A Monday–Friday at least 30 days ahead that no other test of this process got (open for both demo tenants). */
export function futureWeekday(season?: "winter" | "summer"): string {
  const earliest = Date.now() + startOffset * DAY_MS;
  if (!season) return nextFree(earliest, (d) => weekday(d) >= 1 && weekday(d) <= 5);
  // A weekday of December–February (standard time) or June–August (daylight saving time), the first far enough
  // ahead: always within the default one-year booking horizon.
  const months = season === "winter" ? [11, 0, 1] : [5, 6, 7];
  return nextFree(earliest, (d) => months.includes(Number(d.slice(5, 7)) - 1) && weekday(d) >= 1 && weekday(d) <= 5);
}

/** The next day with this weekday at least 30 days ahead (not reserved: for reads and refused bookings). */
export function futureDayOfWeek(dow: number): string {
  let ms = Date.now() + 30 * DAY_MS;
  while (new Date(ms).getUTCDay() !== dow) ms += DAY_MS;
  return isoDay(ms);
}

/** UTC offset of a zone at an instant, in minutes (New York in January: -300). */
export function zoneOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
    .formatToParts(at).find((p) => p.type === "timeZoneName")!.value; // "GMT-05:00" or "GMT"
  const m = name.match(/GMT([+-])(\d{2}):(\d{2})/);
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The UTC instant of wall-clock `day`T`time` in `timeZone` (not on a DST gap). */
export function wallClockToUtc(day: string, time: string, timeZone: string): Date {
  const naive = new Date(`${day}T${time}:00Z`);
  const offset = zoneOffsetMinutes(timeZone, new Date(naive.getTime() - 12 * 3_600_000));
  return new Date(naive.getTime() - offset * 60_000);
}

/** `2027-01-12T10:00:00-05:00`, the way the RPC writes local times. */
export function localIso(day: string, time: string, timeZone: string): string {
  const offset = zoneOffsetMinutes(timeZone, wallClockToUtc(day, time, timeZone));
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `${day}T${time}:00${offset < 0 ? "-" : "+"}${hh}:${mm}`;
}
