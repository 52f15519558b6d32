// The coach's day in Chromium: sign in, the caseload with who needs action on top, a client's
// page, the wish edited in the form (by keyboard) and the suggestions changing with it, one
// suggestion marked interested and found in the timeline, the funnel's steps recorded in their
// forms (one refused first, nothing typed lost), one corrected from the timeline, the
// employer asked for feedback, a new client registered with a
// form error first (nothing typed lost), the printable shortlist, the search page, and a
// contact logged in the employer register.
//
// Needs (from tests/api/browser.rs): KOHTAAMO_URL, KOHTAAMO_COACH_EMAIL, KOHTAAMO_PASSWORD,
// KOHTAAMO_CLIENT_ID (a client wishing for warehouse work), KOHTAAMO_OVERDUE_CLIENT (the name
// of a client past the 30-day clock), KOHTAAMO_CLEANING_TITLE (a cleaning vacancy's title),
// KOHTAAMO_EMPLOYER_NAME (an employer of the register).

import {
  check,
  checkEqual,
  checkErrorSummaryFocused,
  checkPage,
  openSession,
  runSuite,
  setting,
  signIn,
  tabUntil,
  url,
} from "./lib/harness.mjs";

const SUITE = "coach";

/** The title of the first suggestion on a client page. */
const firstSuggestion = (page) => page.locator(".match .match__title").first().textContent();

await runSuite(SUITE, async () => {
  const clientId = setting("KOHTAAMO_CLIENT_ID");
  const cleaning = setting("KOHTAAMO_CLEANING_TITLE");
  const coach = await openSession("coach");
  try {
    const { page } = coach;
    await signIn(coach, SUITE, setting("KOHTAAMO_COACH_EMAIL"), setting("KOHTAAMO_PASSWORD"), "signin");
    checkEqual(new URL(page.url()).pathname, "/caseload", "a coach starts at the caseload");
    const needs = await page.locator(".worklist").innerText();
    check(needs.includes(setting("KOHTAAMO_OVERDUE_CLIENT")), "the overdue client is among those needing action");
    check(/yli 30 päivän rajan/.test(needs), `the reason is in words: ${needs}`);
    await checkPage(coach, SUITE, "caseload");

    await page.goto(url(`/clients/${clientId}`));
    const before = await firstSuggestion(page);
    check(before !== cleaning, `before the edit the first suggestion is not cleaning work (${before})`);
    await checkPage(coach, SUITE, "client");

    // The wish, edited by keyboard: Tab to the field, replace the text, submit with Enter.
    await page.goto(url(`/clients/${clientId}/edit`));
    await checkPage(coach, SUITE, "client-edit");
    await tabUntil(page, () => document.activeElement?.id === "desired_work", "the wish field", 120);
    await page.keyboard.press("Control+A");
    await page.keyboard.type("siivous");
    await tabUntil(page, () => document.activeElement?.type === "submit", "the save button", 40);
    await Promise.all([page.waitForURL(new RegExp(`/clients/${clientId}\\?saved=1`)), page.keyboard.press("Enter")]);
    await page.locator(".notice").waitFor();
    checkEqual(await firstSuggestion(page), cleaning, "after the edit the first suggestion is the cleaning job");

    // One click: the client is interested in the first suggestion; the timeline shows it.
    const first = page.locator(".match").first();
    await Promise.all([
      page.waitForURL(/done=interested/),
      first.locator('button[name="answer"][value="interested"]').click(),
    ]);
    const timeline = await page.locator("#timeline").innerText();
    check(timeline.includes("Kiinnostui ehdotuksesta"), `the answer is in the timeline: ${timeline}`);
    check(timeline.includes(cleaning), "the timeline names the vacancy");
    await checkPage(coach, SUITE, "client-answered");

    // The funnel's steps: job search from the suggested next steps, by keyboard.
    const jobSearch = page.locator(`#stage a[href="/clients/${clientId}/events/new?type=job_search"]`);
    await jobSearch.focus();
    await Promise.all([page.waitForURL(/events\/new\?type=job_search/), page.keyboard.press("Enter")]);
    await checkPage(coach, SUITE, "event-new");
    await page.locator('form.event-form button[type="submit"]').focus();
    await Promise.all([page.waitForURL(/recorded=job_search/), page.keyboard.press("Enter")]);
    check((await page.locator("#timeline").innerText()).includes("Työnhaku alkoi"), "job search is in the timeline");
    checkEqual(
      (await page.locator(".stage__now").innerText()).startsWith("Nyt: Työnhaku alkoi"),
      true,
      "the stage shown is job search",
    );

    // A work trial: first without its kind (the form says so and keeps the hours), then whole.
    await Promise.all([
      page.waitForURL(/type=employed/),
      page.locator(`#stage a[href="/clients/${clientId}/events/new?type=employed"]`).click(),
    ]);
    await page.locator("#hours_per_week").fill("20");
    await page.locator("#employer_id").selectOption({ label: setting("KOHTAAMO_EMPLOYER_NAME") });
    await Promise.all([page.waitForLoadState("load"), page.locator('form.event-form button[type="submit"]').click()]);
    await page.locator(".error-summary").waitFor();
    check(
      (await page.locator(".error-summary").innerText()).includes("Valitse, millainen työ tai jakso alkoi."),
      "the missing placement type is named",
    );
    checkEqual(await page.locator("#hours_per_week").inputValue(), "20", "the hours typed are kept");
    await checkPage(coach, SUITE, "event-error");
    await page.locator('input[name="placement_type"][value="work_trial"]').check();
    await Promise.all([page.waitForURL(/recorded=employed/), page.locator('form.event-form button[type="submit"]').click()]);
    check((await page.locator("#timeline").innerText()).includes("Työkokeilu"), "the work trial is in the timeline");

    // The work trial was in fact a wage-subsidised job: correct it from the timeline.
    await Promise.all([
      page.waitForURL(/\/events\/\d+\/correct/),
      page.locator("#timeline .timeline__correct a").first().click(),
    ]);
    checkEqual(
      await page.locator('input[name="placement_type"][value="work_trial"]').isChecked(),
      true,
      "the correction form is filled with the event",
    );
    await checkPage(coach, SUITE, "event-correct");
    await page.locator('input[name="placement_type"][value="wage_subsidised"]').check();
    await Promise.all([page.waitForURL(/corrected=1/), page.locator('form.event-form button[type="submit"]').click()]);
    const corrected = await page.locator("#timeline").innerText();
    check(corrected.includes("korjattu myöhemmin"), `the old entry shows as corrected: ${corrected}`);
    check(corrected.includes("Palkkatuettu työ"), "the correction is in the timeline");

    // Feedback from the employer of the placement.
    await Promise.all([
      page.waitForURL(/feedback=asked/),
      page.locator("#feedback form.placement__ask button").first().click(),
    ]);
    check((await page.locator("#feedback").innerText()).includes("odottaa vastausta"), "the request is pending");
    await checkPage(coach, SUITE, "client-steps");

    // A new client: a form error first, then saved; what was typed stays.
    await page.goto(url("/clients/new"));
    await page.locator("#display_name").fill("Uusi Asiakas");
    await page.locator("#home_municipality").fill("Lahti");
    await page.locator("#desired_work").fill("keittiötyö, ei iltaisin");
    await page.locator("#max_commute_km").fill("kymmenen");
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/clients/new"),
      page.locator('form.client-form button[type="submit"]').click(),
    ]);
    await checkErrorSummaryFocused(page);
    checkEqual(await page.locator("#desired_work").inputValue(), "keittiötyö, ei iltaisin", "the wish typed is kept");
    await checkPage(coach, SUITE, "client-new-error");
    await page.locator("#max_commute_km").fill("10");
    await Promise.all([page.waitForURL(/\/clients\/\d+$/), page.locator('form.client-form button[type="submit"]').click()]);
    checkEqual(await page.locator("h1").textContent(), "Uusi Asiakas", "the new client's page");

    await page.goto(url(`/clients/${clientId}/shortlist`));
    check((await page.locator("main").innerText()).includes("Sinä päätät"), "the shortlist leaves the choice to the client");
    await checkPage(coach, SUITE, "shortlist");

    await page.goto(url("/search?q=siivous&kind=vacancy"));
    check((await page.locator(".results").innerText()).includes(cleaning), "search finds the cleaning job");
    await checkPage(coach, SUITE, "search");

    // The employer register: log a face-to-face contact; it shows in the employer's log.
    await page.goto(url("/employers"));
    await checkPage(coach, SUITE, "employers");
    await Promise.all([page.waitForURL(/\/employers\/\d+$/), page.locator("table.figures a").first().click()]);
    await page.locator("#face_to_face").check();
    await Promise.all([page.waitForURL(/logged=1/), page.locator('form.contact-form button[type="submit"]').click()]);
    check((await page.locator("#contact-log").innerText()).includes("tavattiin kasvokkain"), "the contact is in the log");
    await checkPage(coach, SUITE, "employer");
  } finally {
    await coach.close();
  }
});
