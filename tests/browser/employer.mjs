// The employer's flow in Chromium: sign in, post a subcontracting task that a coach's search
// finds at once, post a vacancy by keyboard alone (Tab, Enter and Space; the empty form first,
// so the error summary leads back to the field), edit and close it after the page that asks,
// and answer a work-trial feedback form that the client's coach then reads. No page names the
// client.
//
// Needs (from tests/api/browser.rs): KOHTAAMO_URL, KOHTAAMO_EMPLOYER_EMAIL, KOHTAAMO_PASSWORD,
// KOHTAAMO_COACH_TOKEN, KOHTAAMO_CLIENT_ID and KOHTAAMO_CLIENT_NAME (a client of the coach in a
// work trial at the employer, with a feedback form asked).

import { api, check, checkEqual, checkErrorSummaryFocused, checkPage, openSession, runSuite, setting, signIn, tabUntil, url } from "./lib/harness.mjs";

const SUITE = "employer";

/**
 * The longest a coach may wait to find the new task once the employer's page says it is
 * published (the page answers only once search sees the write, so the first search must find
 * it). The time from the employer's click is printed too; its target lives in the benches.
 */
const FOUND_WITHIN_MS = 1000;

/** Signs in on the sign-in page with the keyboard only; lands on the employer's postings. */
async function signInAsEmployer(session, email, password) {
  await signIn(session, SUITE, email, password, "signin");
  await session.page.waitForURL(/\/employer$/);
}

/** Tabs to the element with `id` (at most `max` presses) and types `text` into it. */
async function typeInto(page, id, text, max = 6) {
  // A string is evaluated in the page as an expression: it carries the id along.
  await tabUntil(page, `document.activeElement?.id === ${JSON.stringify(id)}`, `#${id}`, max);
  await page.keyboard.type(text);
}

/** No text of the page names the client. */
async function checkNoClient(page, name, where) {
  const text = await page.locator("body").innerText();
  const html = await page.content();
  check(!text.includes(name) && !html.includes(name), `${where} names the client`);
}

await runSuite(SUITE, async () => {
  const employerEmail = setting("KOHTAAMO_EMPLOYER_EMAIL");
  const password = setting("KOHTAAMO_PASSWORD");
  const coachToken = setting("KOHTAAMO_COACH_TOKEN");
  const clientId = setting("KOHTAAMO_CLIENT_ID");
  const clientName = setting("KOHTAAMO_CLIENT_NAME");

  const session = await openSession("employer");
  try {
    const { page } = session;
    await signInAsEmployer(session, employerEmail, password);
    checkEqual(await page.locator("h1").textContent(), "Omat ilmoitukset", "the employer's start page");
    await checkNoClient(page, clientName, "the postings");
    await checkPage(session, SUITE, "postings");

    // A subcontracting task, posted with the mouse; a coach's very first search finds it.
    await Promise.all([
      page.waitForURL(/\/employer\/tasks\/new$/),
      page.getByRole("link", { name: "Uusi alihankintatyö" }).click(),
    ]);
    await checkPage(session, SUITE, "task-new");
    await page.locator("#title").fill("Kukkasipulien lajittelu");
    await page.locator("#description").fill("Kukkasipulien lajittelua ja pussitusta työkeskuksessa, rauhallisessa tilassa.");
    await page.locator("#municipality").fill("Lahti");
    await page.locator('input[name="site"][value="provider"]').check();
    await page.locator("#starts_on").fill("1.3.2027");
    await page.locator("#ends_on").fill("31.5.2027");
    await page.locator("#estimated_hours").fill("120");
    await page.locator("#group_size").fill("4");
    const submitted = Date.now();
    await Promise.all([
      page.waitForURL(/\/employer\/tasks\/\d+\?notice=created$/),
      page.getByRole("button", { name: "Julkaise ilmoitus" }).click(),
    ]);
    const published = Date.now();
    const taskId = Number(new URL(page.url()).pathname.split("/").pop());
    const found = await api("/api/v1/search?q=kukkasipulien&kind=task", coachToken);
    const foundAfter = Date.now() - published;
    check(
      found.hits.some((h) => h.kind === "task" && h.id === taskId),
      `the coach's first search finds task ${taskId}: ${JSON.stringify(found)}`,
    );
    console.log(
      `ok a coach found the task ${foundAfter} ms after the page said it was published ` +
        `(${Date.now() - submitted} ms after the employer pressed publish)`,
    );
    check(foundAfter < FOUND_WITHIN_MS, `the coach found the task only ${foundAfter} ms after it was published`);
    const task = await api(`/api/v1/tasks/${taskId}`, coachToken);
    checkEqual(
      [task.site, task.starts_on, task.ends_on, task.estimated_hours, task.group_size],
      ["provider", "2027-03-01", "2027-05-31", 120, 4],
      "the task's fields",
    );
    await page.locator(".notice").waitFor();
    await checkPage(session, SUITE, "task-created");

    // A vacancy by keyboard alone: the link, the empty form sent, back to the field, the form.
    await page.goto(url("/employer"));
    await tabUntil(page, () => document.activeElement?.getAttribute("href") === "/employer/vacancies/new", "the new vacancy link");
    await Promise.all([page.waitForURL(/\/employer\/vacancies\/new$/), page.keyboard.press("Enter")]);
    await checkPage(session, SUITE, "vacancy-new");
    const onSubmit = () => document.activeElement?.matches?.("form.emp-form button[type=submit]") ?? false;
    await tabUntil(page, onSubmit, "the publish button", 120);
    await Promise.all([page.waitForURL(/\/employer\/vacancies$/), page.keyboard.press("Enter")]);
    await checkErrorSummaryFocused(page);
    check((await page.title()).startsWith("Virhe:"), "the title says there are errors");
    await checkPage(session, SUITE, "vacancy-errors");
    await page.keyboard.press("Tab");
    checkEqual(await page.evaluate(() => document.activeElement?.getAttribute("href")), "#title", "the summary's first link");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "title");
    await page.keyboard.type("Trukinkuljettaja");
    await typeInto(page, "description", "Tavaran siirtoa trukilla varastossa. Perehdytämme työhön.");
    await typeInto(page, "municipality", "Lahti");
    await typeInto(page, "hours_per_week.min", "20");
    await typeInto(page, "hours_per_week.max", "30");
    // The first button of a group where none is chosen takes focus; Space chooses it (yes).
    await tabUntil(page, () => document.activeElement?.id === "work_trial_ok", "the work trial question", 8);
    await page.keyboard.press("Space");
    await typeInto(page, "adjustments_offered", "kirjalliset ohjeet", 10);
    await page.keyboard.press("Enter");
    await page.keyboard.type("rauhallinen tila");
    await tabUntil(page, onSubmit, "the publish button", 10);
    await Promise.all([page.waitForURL(/\/employer\/vacancies\/\d+\?notice=created$/), page.keyboard.press("Enter")]);
    const vacancyId = Number(new URL(page.url()).pathname.split("/").pop());
    const vacancy = await api(`/api/v1/vacancies/${vacancyId}`, coachToken);
    checkEqual(
      [vacancy.title, vacancy.municipality, vacancy.hours_per_week, vacancy.work_trial_ok, vacancy.wage_subsidy_ok, vacancy.adjustments_offered],
      ["Trukinkuljettaja", "Lahti", { min: 20, max: 30 }, true, null, ["kirjalliset ohjeet", "rauhallinen tila"]],
      "the vacancy posted by keyboard",
    );
    await checkPage(session, SUITE, "vacancy-created");

    // Its edit form, filled; then closing it, after the page that asks.
    await Promise.all([page.waitForURL(/\/edit$/), page.getByRole("link", { name: "Muokkaa ilmoitusta" }).click()]);
    checkEqual(await page.locator("#title").inputValue(), "Trukinkuljettaja", "the edit form is filled");
    checkEqual(await page.locator("#adjustments_offered").inputValue(), "kirjalliset ohjeet\nrauhallinen tila", "one adjustment a line");
    await checkPage(session, SUITE, "vacancy-edit");
    await page.goto(url(`/employer/vacancies/${vacancyId}`));
    await Promise.all([page.waitForURL(/\/close$/), page.getByRole("link", { name: "Sulje ilmoitus" }).click()]);
    checkEqual((await api(`/api/v1/vacancies/${vacancyId}`, coachToken)).status, "open", "asking closes nothing");
    await checkPage(session, SUITE, "vacancy-close");
    await Promise.all([page.waitForURL(/\/employer\?notice=closed$/), page.getByRole("button", { name: "Kyllä, sulje ilmoitus" }).click()]);
    checkEqual((await api(`/api/v1/vacancies/${vacancyId}`, coachToken)).status, "closed", "the vacancy is closed");
    await checkPage(session, SUITE, "postings-after-close");

    // The feedback form: which trial it is about, answered once, then read-only.
    await Promise.all([page.waitForURL(/\/employer\/feedback$/), page.getByRole("link", { name: "Palautteet" }).click()]);
    await checkNoClient(page, clientName, "the feedback list");
    await checkPage(session, SUITE, "feedback-list");
    await Promise.all([page.waitForURL(/\/employer\/feedback\/\d+$/), page.getByRole("link", { name: /Työkokeilu, alkoi/ }).click()]);
    check((await page.locator("main").innerText()).includes("Varastotyöntekijä"), "the form names the posting");
    await checkNoClient(page, clientName, "the feedback form");
    await checkPage(session, SUITE, "feedback-form");
    await page.locator('input[name="tasks_managed"][value="4"]').check();
    await page.locator('input[name="support_needed"][value="some"]').check();
    await page.locator('input[name="would_hire"][value="true"]').check();
    await page.locator("#comment").fill("Täsmällinen ja oma-aloitteinen.");
    await Promise.all([page.waitForURL(/\?notice=sent$/), page.getByRole("button", { name: "Lähetä palaute" }).click()]);
    check((await page.locator("main").innerText()).includes("4 – hyvin"), "the answers are shown");
    checkEqual(await page.locator("form.emp-form").count(), 0, "an answered form has no questions left");
    await checkNoClient(page, clientName, "the answered form");
    await checkPage(session, SUITE, "feedback-answered");

    const history = await api(`/api/v1/clients/${clientId}/events`, coachToken);
    checkEqual(
      history.feedback.map((f) => f.answers),
      [{ tasks_managed: 4, support_needed: "some", would_hire: true, comment: "Täsmällinen ja oma-aloitteinen." }],
      "the coach reads the employer's answers",
    );
    console.log("ok the client's coach reads the answers");
  } finally {
    await session.close();
  }
});
