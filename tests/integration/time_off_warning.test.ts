// Time off entered with SQL over a booked job, or a staff member made inactive with upcoming jobs, raises a WARNING an
// admin sees in psql (or any client's notices): how many active jobs of that person and their ids — never a customer's
// name or number. Elsewhere: silence.
import assert from "node:assert/strict";
import postgres from "postgres";
import { testDatabaseUrl } from "../_database.ts";
import { bookAsService, booking, waitUntilBlocked, withClients } from "./_two_clients.ts";
import { inRolledBackTransaction } from "./_notices.ts";

Deno.test("time off over a booked job warns with the count and ids; time off elsewhere says nothing", async () => {
  await inRolledBackTransaction(async (tx, notices) => {
    const [{ id: org }] = await tx`insert into public.organizations (name, timezone)
                                     values ('Time Off Warning Co', 'UTC') returning id`;
    const [{ id: staff }] = await tx`insert into public.staff_members (organization_id, name)
                                       values (${org}, 'Sam') returning id`;
    const [{ id: job }] = await tx`insert into public.appointments
        (organization_id, staff_member_id, start_time, end_time, customer_name, customer_phone)
        values (${org}, ${staff}, '2031-05-06 10:00+00', '2031-05-06 11:00+00', 'Ann Private', '+15550199876')
        returning id`;
    const timeOff = (from: string, to: string) =>
      tx`insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
           values (${org}, ${staff}, ${from}, ${to}) returning id`;

    await timeOff("2031-05-07 00:00+00", "2031-05-08 00:00+00");
    assert.equal(notices.length, 0, "a day without jobs: no warning");

    const [{ id: sickDay }] = await timeOff("2031-05-06 00:00+00", "2031-05-07 00:00+00");
    assert.equal(notices.length, 1);
    const [warning] = notices;
    assert.equal(warning.severity, "WARNING");
    assert.match(warning.message, new RegExp(`^1 active appointment\\(s\\) of staff member ${staff} fall in this`));
    assert.equal(warning.detail, `appointments.id: ${job}`);
    assert.doesNotMatch(JSON.stringify(warning), /Ann Private|5550199876/, "no customer details");

    await tx`update public.staff_time_off set ends_at = '2031-05-06 09:00+00' where id = ${sickDay}`;
    assert.equal(notices.length, 1, "moved off the job: silence");
    await tx`update public.staff_time_off set ends_at = '2031-05-06 10:30+00' where id = ${sickDay}`;
    assert.equal(notices.length, 1, "moved back over it: the same warning is given once a transaction");
    const [{ id: second }] = await tx`insert into public.appointments
        (organization_id, staff_member_id, start_time, end_time, customer_name)
        values (${org}, ${staff}, '2031-05-06 08:00+00', '2031-05-06 09:00+00', 'Bo') returning id`;
    await tx`update public.staff_time_off set starts_at = '2031-05-06 07:00+00' where id = ${sickDay}`;
    assert.equal(notices.length, 2, "over one more job: warned again");
    assert.equal(notices[1].detail, `appointments.id: ${second}, ${job}`, "both, by start");
  });
});

Deno.test("a closed date over a booked job warns (the organization's local day); a closed date elsewhere says nothing", async () => {
  await inRolledBackTransaction(async (tx, notices) => {
    const [{ id: org }] = await tx`insert into public.organizations (name, timezone)
                                     values ('Closed Date Warning Co', 'America/New_York') returning id`;
    // 22:00–23:00 on May 6 in New York: May 7 in UTC.
    const [{ id: job }] = await tx`insert into public.appointments
        (organization_id, start_time, end_time, customer_name, customer_phone)
        values (${org}, '2031-05-06 22:00-04', '2031-05-06 23:00-04', 'Ann Private', '+15550199876') returning id`;
    const close = (day: string) =>
      tx`insert into public.closed_dates (organization_id, closed_on) values (${org}, ${day})`;
    await tx`insert into public.appointments (organization_id, start_time, end_time, customer_name)
               values (${org}, '2021-05-06 10:00-04', '2021-05-06 11:00-04', 'Long Gone')`;
    await close("2021-05-06");
    assert.equal(notices.length, 0, "a past day's jobs cannot be moved any more: no warning");
    await close("2031-05-05");
    await close("2031-05-07");
    assert.equal(notices.length, 0, "days without jobs (May 7 is the job's UTC date, not its local one): no warning");
    await close("2031-05-06");
    assert.equal(notices.length, 1);
    assert.equal(notices[0].severity, "WARNING");
    assert.match(
      notices[0].message,
      new RegExp(
        `^1 active appointment\\(s\\) of organization ${org} fall on closed date 2031-05-06: reschedule or cancel`,
      ),
    );
    assert.equal(notices[0].detail, `appointments.id: ${job}`);
    assert.doesNotMatch(JSON.stringify(notices[0]), /Ann Private|5550199876/, "no customer details");
  });
});

/**
 * An admin's open transaction writes `change` (Metro's Maria Lopez: id, organization_id; that day); meanwhile a booking
 * of Maria commits — holding the calendar lock for a second, longer than a booking's own lock wait. The admin's COMMIT
 * must wait for it and name it; `undo` puts the change back afterwards.
 */
async function namedAtCommit(
  change: (tx: postgres.Sql, maria: { id: string; organization_id: string }, date: string) => Promise<void>,
  undo: (admin: postgres.Sql, maria: { id: string }) => Promise<void>,
) {
  await withClients(async (c) => {
    const day = new Date(Date.now() + 20 * 86_400_000);
    if (day.getUTCDay() === 0) day.setUTCDate(day.getUTCDate() + 1); // Metro is open Monday to Saturday
    const date = day.toISOString().slice(0, 10);
    const job = booking(`${date}T15:00`, undefined, undefined, {
      assistant: "asst_metro_hvac_assistant",
      args: { service: "AC repair", staff_name: "Maria Lopez" },
    });
    c.ids.push(job.callId);
    const [maria] = await c.admin`select s.id, s.organization_id from public.staff_members as s
                                  join public.customer_configurations as k on k.organization_id = s.organization_id
                                  where k.vapi_assistant_id = 'asst_metro_hvac_assistant' and s.name = 'Maria Lopez'`;
    const notices: postgres.Notice[] = [];
    const admin = postgres(testDatabaseUrl(), { max: 1, onnotice: (n) => notices.push(n) });
    const tx = await admin.reserve();
    try {
      await tx`begin`;
      await tx`select set_config('role', 'service_role', true)`; // as the secret key writes it
      await change(tx as unknown as postgres.Sql, maria as { id: string; organization_id: string }, date);
      const a = await c.a.reserve();
      await a`begin`;
      assert.equal(
        (await bookAsService(a as unknown as postgres.Sql, job)).reason,
        "booked",
        "it cannot see the change",
      );
      assert.equal(notices.length, 0, "nothing is said before the admin's commit");
      const [{ pid }] = await tx`select pg_backend_pid() as pid`;
      const committed = tx`commit`.then(() => {});
      await waitUntilBlocked(c.admin, pid); // the commit's check waits for the calendar lock the booking holds
      await new Promise((r) => setTimeout(r, 1_000));
      await a`commit`;
      a.release();
      await committed;
      assert.equal(notices.length, 1, "the booking made meanwhile is warned about");
      const [{ id: jobId }] = await c.admin`select id from public.appointments where vapi_call_id = ${job.callId}`;
      assert.equal(notices[0].detail, `appointments.id: ${jobId}`);
    } finally {
      tx.release();
      await undo(c.admin, maria as { id: string });
      await admin.end({ timeout: 5 });
    }
  });
}

Deno.test("time off whose transaction is open while that person is booked names the booking at its commit", () =>
  namedAtCommit(
    (tx, maria, date) =>
      tx`insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at, reason)
         values (${maria.organization_id}, ${maria.id}, ${date + "T00:00Z"}, ${date + "T23:59Z"}, 'namedAtCommit')`
        .then(() => {}),
    (admin) => admin`delete from public.staff_time_off where reason = 'namedAtCommit'`.then(() => {}),
  ));

Deno.test("a staff member made inactive in an open transaction while booked: the booking is named at its commit", () =>
  namedAtCommit(
    (tx, maria) => tx`update public.staff_members set is_active = false where id = ${maria.id}`.then(() => {}),
    (admin, maria) => admin`update public.staff_members set is_active = true where id = ${maria.id}`.then(() => {}),
  ));

Deno.test("time off written, then moved twice in one committed transaction: one warning, at COMMIT", async () => {
  const notices: postgres.Notice[] = [];
  const sql = postgres(testDatabaseUrl(), { max: 1, onnotice: (n) => notices.push(n) });
  try {
    const [org] = await sql.begin(async (tx) => {
      const [{ id: org }] = await tx`insert into public.organizations (name, timezone)
                                     values ('Deferred Warning Co', 'UTC') returning id`;
      const [{ id: staff }] = await tx`insert into public.staff_members (organization_id, name)
                                       values (${org}, 'Sam') returning id`;
      await tx`insert into public.appointments (organization_id, staff_member_id, start_time, end_time, customer_name)
               values (${org}, ${staff}, '2031-05-06 10:00+00', '2031-05-06 11:00+00', 'Ann')`;
      const [{ id }] = await tx`insert into public.staff_time_off (organization_id, staff_member_id, starts_at, ends_at)
                                values (${org}, ${staff}, '2031-05-06 00:00+00', '2031-05-07 00:00+00') returning id`;
      await tx`update public.staff_time_off set ends_at = '2031-05-06 20:00+00' where id = ${id}`;
      await tx`update public.staff_time_off set ends_at = '2031-05-06 18:00+00' where id = ${id}`;
      assert.equal(notices.length, 0, "nothing before COMMIT");
      return [org];
    });
    assert.equal(notices.length, 1, "three changes of one row, one state at COMMIT: said once");
    await sql`delete from public.organizations where id = ${org}`;
  } finally {
    await sql.end({ timeout: 5 });
  }
});

Deno.test("a staff member made inactive with upcoming jobs warns with their count and ids; without jobs: silence", async () => {
  await inRolledBackTransaction(async (tx, notices) => {
    const [{ id: org }] = await tx`insert into public.organizations (name, timezone)
                                     values ('Inactive Staff Co', 'UTC') returning id`;
    const [{ id: busy }, { id: idle }] = await tx`insert into public.staff_members (organization_id, name)
                                                    values (${org}, 'Sam'), (${org}, 'Kim') returning id`;
    const [{ id: job }] = await tx`insert into public.appointments
        (organization_id, staff_member_id, start_time, end_time, customer_name, customer_phone)
        values (${org}, ${busy}, '2031-05-06 10:00+00', '2031-05-06 11:00+00', 'Ann Private', '+15550199876')
        returning id`;
    await tx`insert into public.appointments (organization_id, staff_member_id, start_time, end_time, customer_name)
               values (${org}, ${busy}, '2021-05-06 10:00+00', '2021-05-06 11:00+00', 'Long Ago')`;
    await tx`update public.staff_members set is_active = false where id = ${idle}`;
    assert.equal(notices.length, 0, "no jobs: no warning");
    await tx`update public.staff_members set is_active = false where id = ${busy}`;
    assert.equal(notices.length, 1);
    assert.equal(notices[0].severity, "WARNING");
    assert.match(
      notices[0].message,
      new RegExp(`^1 upcoming active appointment\\(s\\) stay with inactive staff member ${busy}`),
    );
    assert.equal(notices[0].detail, `appointments.id: ${job}`, "the upcoming job only, not the past one");
    assert.doesNotMatch(JSON.stringify(notices[0]), /Ann Private|5550199876/, "no customer details");
    await tx`update public.staff_members set name = 'Sam B' where id = ${busy}`;
    assert.equal(notices.length, 1, "already inactive: silence");
  });
});

/**
 * Runs `fn` in a transaction that is rolled back (no rows kept), with the deferred checks made immediate — they
 * otherwise run at COMMIT, which it never reaches — and hands it the notices its connection receives.
 */
