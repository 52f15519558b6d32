// The coordinator's flow in Chromium, by keyboard alone: sign in, choose a period in the
// form and submit it with Enter, reach a table's download link and take the CSV, whose
// figures must equal the API's. Then a period the wrong way round (the form again, with the
// error summary focused), the page in Swedish, and a coach's own page.
//
// Needs (from tests/api/browser.rs): KOHTAAMO_URL, KOHTAAMO_COORDINATOR_TOKEN (for the API's
// figures), KOHTAAMO_COORDINATOR_EMAIL, KOHTAAMO_COACH_EMAIL, KOHTAAMO_PASSWORD, KOHTAAMO_COACH_CLIENT (a client name the coach must see),
// KOHTAAMO_FROM and KOHTAAMO_TO (the period, YYYY-MM-DD).

import { readFileSync } from "node:fs";
import {
  api,
  check,
  checkEqual,
  checkErrorSummaryFocused,
  checkPage,
  openSession,
  parseExcelCsv,
  runSuite,
  setting,
  signIn,
  tabUntil,
  url,
} from "./lib/harness.mjs";

const SUITE = "coordinator";

/** `2025-01-01` as the form wants it: `1.1.2025`. */
const finnishDate = (iso) => {
  const [y, m, d] = iso.split("-").map(Number);
  return `${d}.${m}.${y}`;
};

/** Replaces the focused field's text by typing. */
async function retype(page, text) {
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
}

await runSuite(SUITE, async () => {
  const from = setting("KOHTAAMO_FROM");
  const to = setting("KOHTAAMO_TO");
  const coordinatorToken = setting("KOHTAAMO_COORDINATOR_TOKEN");
  const funnel = await api(`/api/v1/funnel?from=${from}&to=${to}`, coordinatorToken);
  const fidelity = await api(`/api/v1/fidelity?from=${from}&to=${to}`, coordinatorToken);

  const coordinator = await openSession("coordinator");
  try {
    const { page } = coordinator;
    await signIn(coordinator, SUITE, setting("KOHTAAMO_COORDINATOR_EMAIL"), setting("KOHTAAMO_PASSWORD"), "login");
    await checkPage(coordinator, SUITE, "dashboard-default-period");

    // The period form, by keyboard: Tab to it, type, submit with Enter.
    await tabUntil(page, () => document.activeElement?.id === "from", "the first day of the period");
    await retype(page, finnishDate(from));
    await tabUntil(page, () => document.activeElement?.id === "to", "the last day of the period", 3);
    await retype(page, finnishDate(to));
    await Promise.all([page.waitForURL((u) => u.searchParams.get("to") !== null), page.keyboard.press("Enter")]);
    await page.locator('[data-figure="cohort"]').waitFor();
    checkEqual(
      await page.locator('[data-figure="cohort"]').textContent(),
      String(funnel.cohort),
      "the cohort on the page",
    );
    for (const step of funnel.cohort_funnel) {
      checkEqual(
        await page.locator(`[data-figure="cohort:${step.step}"]`).textContent(),
        String(step.clients),
        `cohort funnel step ${step.step} on the page`,
      );
    }
    const rapid = fidelity.items.find((i) => i.item === "rapid_job_search");
    if (rapid.raw !== null) {
      const shown = await page.locator('[data-figure="fidelity:rapid_job_search"]').textContent();
      check(shown.startsWith(rapid.raw.toFixed(1).replace(".", ",")), `rapid job search shown as ${shown}, API ${rapid.raw}`);
    }
    const text = await page.locator("main").innerText();
    check(!/\b(job_search|employer_contact|work_trial)\b/.test(text), "no stage codes in the page's text");
    check(!text.includes("Työllistynyt"), "nothing is called Työllistynyt (a work trial is not a job)");
    await checkPage(coordinator, SUITE, "dashboard");

    // Reach the cohort funnel's CSV link by keyboard and download it with Enter.
    await tabUntil(
      page,
      () => (document.activeElement?.getAttribute("href") ?? "").includes("/cohort_funnel.csv"),
      "the cohort funnel's CSV link",
      200,
    );
    const linkText = await page.evaluate(() => document.activeElement.textContent.trim());
    check(linkText.includes("Kohorttisuppilo") && linkText.includes("CSV"), `the link says which table: ${linkText}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
    checkEqual(download.suggestedFilename(), `kohorttisuppilo_${from}_${to}.csv`, "the file is named for its table");
    const rows = parseExcelCsv(readFileSync(await download.path()));
    checkEqual(rows.length, funnel.cohort_funnel.length + 1, "a header and a row per step");
    funnel.cohort_funnel.forEach((step, i) => {
      checkEqual(rows[i + 1][1], String(step.clients), `CSV clients at ${step.step}`);
      const share = step.share_of_cohort === null ? "" : (step.share_of_cohort * 100).toFixed(1).replace(".", ",");
      checkEqual(rows[i + 1][2], share, `CSV share of cohort at ${step.step}`);
    });
    console.log("ok the downloaded CSV has the API's figures");

    // A period the wrong way round: the form again, the error summary focused, no raw error.
    await page.locator("#from").focus();
    await retype(page, finnishDate(to));
    await page.keyboard.press("Tab");
    await retype(page, finnishDate(from));
    await Promise.all([page.waitForURL((u) => u.searchParams.get("from") === finnishDate(to)), page.keyboard.press("Enter")]);
    await checkErrorSummaryFocused(page);
    check((await page.title()).startsWith("Virhe:"), "the title says there is an error");
    // The summary's link takes the keyboard to the field at fault.
    await page.keyboard.press("Tab");
    checkEqual(
      await page.evaluate(() => document.activeElement?.getAttribute("href")),
      "#from",
      "the summary's first link",
    );
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "from");
    await page.locator("#from-error").waitFor();
    await checkPage(coordinator, SUITE, "dashboard-period-error");

    // Swedish, chosen with the switcher (a form: works without JavaScript).
    await page.goto(url(`/dashboard?from=${from}&to=${to}`));
    await Promise.all([page.waitForURL(/\/dashboard/), page.locator('button[name="lang"][value="sv"]').press("Enter")]);
    await page.locator('html[lang="sv"]').waitFor({ state: "attached" });
    checkEqual(await page.locator("h1").textContent(), "Uppföljning av sysselsättningen", "the Swedish heading");
    await checkPage(coordinator, SUITE, "dashboard-sv");
  } finally {
    await coordinator.close();
  }

  const coach = await openSession("coach");
  try {
    const { page } = coach;
    await signIn(coach, SUITE, setting("KOHTAAMO_COACH_EMAIL"), setting("KOHTAAMO_PASSWORD"), "coach-login");
    await page.goto(url(`/dashboard?from=${from}&to=${to}`));
    const caseload = await page.locator("#caseload").innerText();
    check(caseload.includes(setting("KOHTAAMO_COACH_CLIENT")), "the coach sees its own client");
    await checkPage(coach, SUITE, "dashboard-coach");
  } finally {
    await coach.close();
  }
});
