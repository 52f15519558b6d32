// What people without the follow-up pages get: an employer starts at its own postings, the
// follow-up page says "no access" (403), an unknown table "not found" (404). Each is a page of the layout, never a raw error, checked like every page.
//
// Needs (from tests/api/browser.rs): KOHTAAMO_URL, KOHTAAMO_EMPLOYER_TOKEN,
// KOHTAAMO_COORDINATOR_TOKEN.

import { check, checkEqual, checkPage, openSession, runSuite, setting, url } from "./lib/harness.mjs";

const SUITE = "access";

await runSuite(SUITE, async () => {
  const employer = await openSession("employer", {
    headers: { Authorization: `Bearer ${setting("KOHTAAMO_EMPLOYER_TOKEN")}` },
  });
  try {
    const { page } = employer;
    let r = await page.goto(url("/"));
    checkEqual(r.status(), 200, "an employer's start page");
    checkEqual(new URL(page.url()).pathname, "/employer", "an employer starts at its own postings");
    checkEqual(await page.locator("h1").textContent(), "Omat ilmoitukset", "the start page says so");
    await checkPage(employer, SUITE, "home-employer");

    r = await page.goto(url("/dashboard"));
    checkEqual(r.status(), 403, "the follow-up page for an employer");
    checkEqual(await page.locator("h1").textContent(), "Ei käyttöoikeutta", "the page says why");
    await checkPage(employer, SUITE, "forbidden");
  } finally {
    await employer.close();
  }

  const coordinator = await openSession("coordinator", {
    headers: { Authorization: `Bearer ${setting("KOHTAAMO_COORDINATOR_TOKEN")}` },
  });
  try {
    const { page } = coordinator;
    const r = await page.goto(url("/dashboard/export/no_such_table.csv"));
    checkEqual(r.status(), 404, "an unknown table");
    check((await page.locator("main").innerText()).includes("Tarkista osoite"), "the page says what to do");
    await checkPage(coordinator, SUITE, "not-found");
  } finally {
    await coordinator.close();
  }
});
