// The admin's and the auditor's pages in Chromium: an admin signs in, adds a coach on the
// users page and gets the one-time sign-in link (shown once), the coach signs in with it (the
// password and account pages, in Finnish and by the switch in Swedish), the
// admin disables the coach and the coach's session ends at once; the auditor signs in, reads
// the access log page by page, narrows it to one client, gets a period error at its field,
// and reads the log in Swedish.
//
// Needs (from tests/api/browser.rs): KOHTAAMO_URL, KOHTAAMO_ADMIN_EMAIL,
// KOHTAAMO_AUDITOR_EMAIL, KOHTAAMO_PASSWORD and KOHTAAMO_CLIENT_ID (a client whose record
// has been read more than 50 times, so the log has two pages).

import { check, checkEqual, checkPage, openSession, runSuite, setting, signIn, url } from "./lib/harness.mjs";

const SUITE = "admin";

await runSuite(SUITE, async () => {
  const password = setting("KOHTAAMO_PASSWORD");
  const clientId = setting("KOHTAAMO_CLIENT_ID");
  const coachName = "Uusi Valmentaja";
  const coachEmail = "uusi.valmentaja@example.fi";

  // The admin adds a coach and hands over the link.
  const admin = await openSession("admin");
  let link;
  try {
    const { page } = admin;
    await signIn(admin, SUITE, setting("KOHTAAMO_ADMIN_EMAIL"), password, "signin");
    await page.waitForURL(/\/users$/);
    checkEqual(await page.locator("h1").textContent(), "Käyttäjät", "the admin's start page");
    checkEqual(
      await page.locator('.site-nav a[aria-current="page"]').textContent(),
      "Käyttäjät",
      "the header links the users page",
    );
    check((await page.locator('.site-nav a[href="/access-log"]').count()) === 0, "no access log link for an admin");
    await checkPage(admin, SUITE, "users");

    // The empty form first: the error summary names every field to fix.
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Lisää käyttäjä" }).click()]);
    checkEqual(await page.locator(".error-summary li").count(), 3, "role, name and address are missing");
    await checkPage(admin, SUITE, "users-errors");

    await page.locator("#role").selectOption("coach");
    await page.locator("#name").fill(coachName);
    await page.locator("#email").fill(coachEmail);
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Lisää käyttäjä" }).click()]);
    check((await page.locator(".notice").first().innerText()).includes(`Käyttäjä ${coachName} lisättiin.`), "the page confirms");
    link = (await page.locator("#sign-in-link").textContent()).trim();
    check(link.includes("/signin/link/"), `a sign-in link is shown: ${link}`);
    await checkPage(admin, SUITE, "users-link");
  } catch (e) {
    await admin.close();
    throw e;
  }

  // The coach signs in with the link, once.
  const coach = await openSession("coach");
  try {
    const { page } = admin;
    await coach.page.goto(url(new URL(link).pathname));
    checkEqual(new URL(coach.page.url()).pathname, "/account/password", "the link leads to choosing a password");
    const second = await openSession("second");
    try {
      const r = await second.page.goto(url(new URL(link).pathname));
      checkEqual(r.status(), 404, "the link works once");
    } finally {
      await second.close();
    }
    checkEqual(await coach.page.locator("h1").textContent(), "Aseta salasana", "the password page");
    await checkPage(coach, SUITE, "password");
    await coach.page.goto(url("/account"));
    checkEqual(await coach.page.locator("h1").textContent(), "Omat tiedot", "the account page");
    await checkPage(coach, SUITE, "account");
    // The account page has the same language switch as every page.
    await Promise.all([
      coach.page.waitForLoadState("load"),
      coach.page.getByRole("button", { name: "På svenska" }).click(),
    ]);
    checkEqual(new URL(coach.page.url()).pathname, "/account", "the switch comes back");
    checkEqual(await coach.page.locator("h1").textContent(), "Mina uppgifter", "the account page in Swedish");
    await checkPage(coach, SUITE, "account-sv");
    let r = await coach.page.goto(url("/caseload"));
    checkEqual(r.status(), 200, "the coach is signed in");

    // The admin disables the coach; the coach's next page is the sign-in page.
    await page.goto(url("/users"));
    await Promise.all([
      page.waitForURL(/notice=disabled$/),
      page.locator("tr", { hasText: coachEmail }).getByRole("button", { name: /^Poista käytöstä/ }).click(),
    ]);
    check((await page.locator(".notice").innerText()).includes("Käyttäjä poistettiin käytöstä."), "the page confirms");
    await checkPage(admin, SUITE, "users-disabled");
    r = await coach.page.goto(url("/caseload"));
    check(new URL(coach.page.url()).pathname === "/signin", `the disabled coach's session ended: ${coach.page.url()}`);
  } finally {
    await coach.close();
    await admin.close();
  }

  // The auditor reads the log.
  const auditor = await openSession("auditor");
  try {
    const { page } = auditor;
    await signIn(auditor, SUITE, setting("KOHTAAMO_AUDITOR_EMAIL"), password, "signin-auditor");
    await page.waitForURL(/\/access-log$/);
    checkEqual(await page.locator("h1").textContent(), "Käyttöloki", "the auditor's start page");
    checkEqual(await page.locator("table.access-log tbody tr").count(), 50, "fifty rows a page");
    await checkPage(auditor, SUITE, "access-log");

    await Promise.all([page.waitForURL(/page=2$/), page.getByRole("link", { name: "Seuraava sivu" }).click()]);
    check((await page.locator("table.access-log tbody tr").count()) > 0, "the second page has rows");
    await checkPage(auditor, SUITE, "access-log-page-2");

    await page.goto(url("/access-log"));
    await page.locator("#client_id").fill(clientId);
    await page.locator("#from").fill("2.1.2026");
    await page.locator("#to").fill("1.1.2026");
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Näytä" }).click()]);
    checkEqual(
      (await page.locator(".error-summary li").innerText()).trim(),
      "Alkupäivä ei voi olla loppupäivän jälkeen.",
      "a start after the end is shown at the top",
    );
    check((await page.locator("#from-error").count()) === 1, "and at the field");
    checkEqual(await page.locator("#client_id").inputValue(), clientId, "nothing typed is lost");
    await checkPage(auditor, SUITE, "access-log-error");

    await page.locator("#from").fill("");
    await page.locator("#to").fill("");
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "Näytä" }).click()]);
    const targets = await page.locator("table.access-log tbody td:nth-child(4)").allInnerTexts();
    check(targets.length > 0, "rows about the client");
    check(
      targets.every((t) => t.includes(`Asiakas ${clientId}`) || t.startsWith("Lista")),
      `every row is about the client: ${targets.slice(0, 5)}`,
    );
    await checkPage(auditor, SUITE, "access-log-client");

    // In Swedish, by the language switch.
    await Promise.all([page.waitForLoadState("load"), page.getByRole("button", { name: "På svenska" }).click()]);
    checkEqual(await page.locator("h1").textContent(), "Åtkomstlogg", "the log in Swedish");
    check(new URL(page.url()).search.includes(`client_id=${clientId}`), "the switch keeps the filters");
    await checkPage(auditor, SUITE, "access-log-sv");
  } finally {
    await auditor.close();
  }
});
